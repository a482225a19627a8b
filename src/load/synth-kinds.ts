import { CONFIG_SECTION, KIND_LABEL, keyAttributeOf, referencesOf, specOf } from '../kinds/index.js';
import { deriveCode } from '../model/code.js';
import { lookupCredentialType } from '../model/credential-types.js';
import type { Issue } from '../model/errors.js';
import { KINDS, type Kind } from '../model/kinds.js';
import { childPointer } from '../schema/pointer.js';

/**
 * load/'s per-kind part for synth output (cdktf-synth.ts): how each kind is read from Terraform JSON. A kind with a
 * resource in m3ter's provider is read from its Terraform mapping (kinds/), by `fromMapping`; credentials, which the
 * provider has no resource for, from the root `"//"`. An exhaustive table over Kind.
 */

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** The key under `"//"` that m3ter-config writes and reads. */
export const SYNTH_META_KEY = 'm3ter-config';
export const META_POINTER = `/${'//'.replace(/\//g, '~1')}/${SYNTH_META_KEY}`;
export const VAR = /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/;
const RESOURCE_REF = /^\$\{([A-Za-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_]+)\}$/;

/** Where one entry of the translated config came from. */
export interface Origin {
  /** JSON pointer of the resource (or credential) in the synth file. */
  pointer: string;
  /** Construct path from `//.metadata.path`, else `<type>.<logicalId>`. */
  path: string;
  /** The user's source line, when the synth output records one. */
  source: string | undefined;
  /** Config field → pointer below the resource, where it is not the snake_case of the field. */
  fields: Readonly<Record<string, string>>;
  /** The pointer below is the translated one as it is (`ignore`, copied unchanged), not snake_cased. */
  verbatim?: boolean;
}

/** One resource of the synth file, claimed by one kind. */
export interface SynthResource {
  type: string;
  id: string;
  value: Obj;
  pointer: string;
}

/** What cdktf-synth.ts gives each kind's reader. */
export interface SynthContext {
  /** The root `"//"."m3ter-config"`. */
  readonly rootMeta: Obj;
  /** The resources of the file that are of this kind, in file order. */
  resourcesOf(kind: Kind): readonly SynthResource[];
  /** The origin of a resource, from its `"//"`; `own` is its `"//"."m3ter-config"`. */
  originFor(
    pointer: string,
    value: Obj,
    fallback: string,
    fields?: Record<string, string>,
  ): Origin & { own: Obj };
  /** A plain value (a literal, or a declared variable); undefined (with an issue) for anything else. */
  plain(v: unknown, pointer: string, who: string): unknown;
  /** A secret: a sensitive variable with no default, as `{ env: TF_VAR_X }`; undefined (with an issue) otherwise. */
  secret(v: unknown, pointer: string, who: string, field: string): unknown;
  issueAt(
    severity: Issue['severity'],
    code: string,
    pointer: string,
    who: string,
    message: string,
    hint?: string,
  ): void;
  /** Adds an entry of the translated config. */
  add(kind: Kind, item: Obj, origin: Origin): void;
  /** The key of an entity read earlier, by `<type>.<name>` (for `${type.name.id}` references). */
  readonly keys: Map<string, string>;
}

export type SynthReader = (kind: Kind, ctx: SynthContext) => void;

export interface SynthKind {
  readonly read: SynthReader;
  /** For a kind the provider has no resource for: how to name one instead of by an id the file cannot resolve. */
  readonly idHint?: string;
}

const setIf = (item: Obj, key: string, v: unknown) => {
  if (v !== undefined && v !== null) item[key] = v;
};

export const whoOf = (o: Origin): string => (o.source ? `${o.path} (${o.source})` : o.path);

/** The kind of a resource of type `type`: the one whose API identity it has, else the one with none. */
export function kindOfResource(type: string, value: Obj): Kind | undefined {
  const candidates = KINDS.filter((k) => specOf(k).terraform.resource === type);
  const attrOf = (kind: Kind, field: string) =>
    Object.entries(specOf(kind).terraform.attributes).find(
      ([, v]) => typeof v === 'object' && 'identity' in v && v.identity === field,
    )?.[0];
  const identified = candidates.find((k) =>
    specOf(k).identity?.matches((field) => {
      const attr = attrOf(k, field);
      return attr === undefined ? undefined : value[attr];
    }),
  );
  return identified ?? candidates.find((k) => specOf(k).identity === undefined);
}

/** A kind with a resource in m3ter's provider, read from its Terraform mapping. */
export const fromMapping: SynthReader = (kind, ctx) => {
  const spec = specOf(kind);
  const { attributes, meta = {} } = spec.terraform;
  const fields: Record<string, string> = {};
  for (const [attr, v] of Object.entries(attributes)) {
    const field =
      typeof v === 'string' ? v : 'jsonValues' in v ? v.jsonValues : 'block' in v ? v.block : undefined;
    if (field !== undefined) fields[field] = `/${attr}`;
  }
  for (const field of Object.keys(meta)) fields[field] = `${META_POINTER}/${field}`;
  const secrets = new Set(spec.secretFields);

  for (const { type, id, value, pointer } of ctx.resourcesOf(kind)) {
    const o = ctx.originFor(pointer, value, `${type}.${id}`, fields);
    const who = whoOf(o);
    const at = (attr: string) => childPointer(pointer, attr);
    const item: Obj = {};
    let dangling = false;
    const read = (field: string, v: unknown, p: string): unknown =>
      secrets.has(field)
        ? ctx.secret(v, p, who, p.slice(pointer.length + 1).replace(/\//g, '.'))
        : ctx.plain(v, p, who);
    for (const [attr, v] of Object.entries(attributes)) {
      if (typeof v === 'string') {
        const ref = referencesOf(kind).find((r) => r.attribute === v);
        const refType = ref && specOf(ref.kind).terraform.resource;
        const raw = value[attr];
        const m = typeof raw === 'string' ? RESOURCE_REF.exec(raw) : null;
        // A reference by key is a literal key, or the key attribute of a resource of the file.
        const byKey = ref?.by === 'key' && !(m && m[1] === refType && m[3] === keyAttributeOf(ref.kind));
        if (refType === undefined || byKey) {
          setIf(item, v, read(v, raw, at(attr)));
          continue;
        }
        const refAttr = ref?.by === 'key' ? keyAttributeOf(ref.kind) : 'id';
        const named = m && m[1] === refType && m[3] === refAttr ? `${m[1]}.${m[2] ?? ''}` : undefined;
        const key = named === undefined ? undefined : ctx.keys.get(named);
        if (key === undefined) {
          ctx.issueAt(
            'error',
            'dangling_link',
            at(attr),
            who,
            named !== undefined
              ? `${attr} names ${named}, which this stack does not declare (or which has no code)`
              : `${attr} must be \`\${${refType}.<name>.${refAttr ?? 'id'}}\`, a ${refType} of this stack`,
            'connect the two with rule.notify(webhook), or reference the resource’s id',
          );
          dangling = true;
          continue;
        }
        item[v] = key;
      } else if ('identity' in v) {
        const want = spec.identity?.values[v.identity];
        const got = ctx.plain(value[attr], at(attr), who);
        if (typeof got === 'string' && want !== undefined && got.toLowerCase() !== want.toLowerCase())
          ctx.issueAt(
            'error',
            'bad_identity',
            at(attr),
            who,
            `${attr} of a ${KIND_LABEL[kind]} is ${JSON.stringify(want)}, not ${JSON.stringify(got)}`,
            `write ${JSON.stringify(want)}`,
          );
      } else if ('jsonValues' in v) {
        readJsonValues(ctx, item, v.jsonValues, value[attr], at(attr), who);
      } else {
        readBlock(item, v, value[attr], at(attr), read);
      }
    }
    if (dangling) continue;
    for (const field of Object.keys(meta)) setIf(item, field, o.own[field]);
    // An id of a referenced kind the provider has no resource for cannot name a declared entity.
    for (const ref of referencesOf(kind)) {
      if (ref.by !== 'id') continue;
      const attr = ref.apiField.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      if (specOf(ref.kind).terraform.resource !== undefined || value[attr] === undefined) continue;
      ctx.issueAt(
        'error',
        `unresolvable_${ref.kind}`,
        at(attr),
        who,
        `${attr} is an id m3ter-config cannot resolve to a declared ${ref.kind}`,
        SYNTH_KINDS[ref.kind].idHint,
      );
    }
    const keyField = spec.keyField;
    if (keyField) {
      const own = item[keyField.field];
      const from = keyField.derivedFrom === undefined ? undefined : item[keyField.derivedFrom];
      const key = typeof own === 'string' ? own : typeof from === 'string' ? deriveCode(from) : undefined;
      if (key) ctx.keys.set(`${type}.${id}`, key);
    }
    ctx.add(kind, item, o);
  }
};

function readBlock(
  item: Obj,
  v: { readonly block: string; readonly attributes: Readonly<Record<string, string>> },
  raw: unknown,
  pointer: string,
  read: (field: string, v: unknown, p: string) => unknown,
): void {
  const nested = isObj(raw) ? raw : {};
  const block: Obj = {};
  for (const [attr, field] of Object.entries(v.attributes))
    setIf(block, field, read(field, nested[attr], childPointer(pointer, attr)));
  item[v.block] = block;
}

function readJsonValues(
  ctx: SynthContext,
  item: Obj,
  field: string,
  raw: unknown,
  pointer: string,
  who: string,
) {
  if (!isObj(raw)) return;
  const out: Obj = {};
  for (const [k, v] of Object.entries(raw)) {
    const p = childPointer(pointer, k);
    const s = ctx.plain(v, p, who);
    if (typeof s !== 'string') continue;
    try {
      out[k] = JSON.parse(s) as unknown;
    } catch {
      ctx.issueAt(
        'error',
        'bad_config_data',
        p,
        who,
        `${pointer.slice(pointer.lastIndexOf('/') + 1)}.${k} is not JSON`,
        'each value is JSON-encoded: write jsonencode(value), or Fn.jsonencode',
      );
    }
  }
  item[field] = out;
}

/** Credentials: m3ter's provider has none, so they sit under the root "//". */
const credentials: SynthReader = (kind, ctx) => {
  const list = isObj(ctx.rootMeta[CONFIG_SECTION[kind]]) ? (ctx.rootMeta[CONFIG_SECTION[kind]] as Obj) : {};
  for (const [id, value] of Object.entries(list)) {
    if (!isObj(value)) continue;
    const pointer = childPointer(`${META_POINTER}/${CONFIG_SECTION[kind]}`, id);
    const o = {
      pointer,
      path: typeof value['path'] === 'string' ? value['path'] : `credential ${id}`,
      source: typeof value['source'] === 'string' ? value['source'] : undefined,
      fields: {} as Record<string, string>,
    };
    const who = whoOf(o);
    const item: Obj = {};
    for (const a of ['name', 'destination', 'type'])
      setIf(item, a, ctx.plain(value[a], childPointer(pointer, a), who));
    const found =
      typeof item['destination'] === 'string' && typeof item['type'] === 'string'
        ? lookupCredentialType(item['destination'], item['type'])
        : undefined;
    const fields = isObj(value['fields']) ? value['fields'] : {};
    for (const [k, v] of Object.entries(fields)) {
      const p = childPointer(childPointer(pointer, 'fields'), k);
      o.fields[k] = `/fields/${k}`;
      const isSecret = found?.ok
        ? found.spec.fields.some((f) => f.name === k && f.secret)
        : VAR.test(String(v));
      setIf(item, k, isSecret ? ctx.secret(v, p, who, k) : ctx.plain(v, p, who));
    }
    ctx.add(kind, item, o);
  }
};

export const SYNTH_KINDS: { readonly [K in Kind]: SynthKind } = {
  credential: {
    read: credentials,
    idHint:
      'declare the credential with the Credential construct and pass it as `credential` (or write its `DESTINATION/name` under "//"."m3ter-config".credential)',
  },
  integration: { read: fromMapping },
  webhook: { read: fromMapping },
  scheduledEvent: { read: fromMapping },
  notificationRule: { read: fromMapping },
  link: { read: fromMapping },
};
