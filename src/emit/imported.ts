import {
  CONFIG_SECTION,
  isIdKey,
  KIND_LABEL,
  KINDS_TOP_DOWN,
  labelOf,
  referencedKey,
  referencesOf,
} from '../kinds/index.js';
import { lookupCredentialType } from '../model/credential-types.js';
import type { Kind } from '../model/kinds.js';
import { escapeGlob } from '../model/glob.js';
import { redactUrl } from '../model/redact.js';
import type { LiveResource } from '../model/resource.js';
import type { LiveState } from '../model/state.js';
import { parsePointer, validateConfigData } from '../schema/index.js';
import { type ConfigEntry, entryOf, envNameFor } from './entries.js';

/**
 * The imported model: what `import` makes of a live org before any file format is chosen. Every writer (YAML now,
 * a TypeScript stack later) renders this one model, so what is imported, what is left out and why, and the secret
 * variables are decided once.
 */

/** One secret to be set in the environment: the variable, and which entity's field it is for. */
export interface ImportedSecret {
  readonly env: string;
  readonly kind: Kind;
  readonly key: string;
  readonly field: string;
}

/** One entity written as a config entry. */
export interface ImportedEntity {
  readonly kind: Kind;
  readonly key: string;
  readonly entry: ConfigEntry;
}

export type ImportProblemCode =
  | 'no_natural_key'
  | 'duplicate_key'
  | 'case_duplicate_key'
  | 'unresolved_reference'
  | 'not_expressible'
  | 'unknown_credential_type'
  | 'secret_in_value';

/**
 * A live entity that could not be written as a config entry. It is not dropped: it is reported, and written under
 * `ignore` (as `ignore`) so that planning the imported files leaves it alone until the user decides.
 */
export interface ImportProblem {
  readonly kind: Kind;
  readonly key: string;
  readonly id: string;
  readonly code: ImportProblemCode;
  readonly message: string;
  /** The way forward. */
  readonly hint: string;
  /** The `ignore` entry written for it. */
  readonly ignore: string;
}

export interface ImportedModel {
  /** The kinds imported (each gets its section, even when empty: the kind becomes managed), in level order. */
  readonly kinds: readonly Kind[];
  readonly entities: Readonly<Record<Kind, readonly ImportedEntity[]>>;
  /** Per kind, the `ignore` entries for the problems. */
  readonly ignore: Readonly<Record<Kind, readonly string[]>>;
  /** Every variable the files reference, sorted by name. */
  readonly secrets: readonly ImportedSecret[];
  readonly problems: readonly ImportProblem[];
}

export interface ImportModelOptions {
  /** The kinds to import (referenced kinds must be among them for references to be written). */
  readonly kinds: ReadonlySet<Kind>;
  /** Live entities to leave out without a problem (already declared or ignored by an existing config). */
  readonly skip?: (kind: Kind, key: string) => boolean;
  /** Keys declared elsewhere (an existing config), which references may name without the entity being written. */
  readonly declared?: (kind: Kind, key: string) => boolean;
  /** Variable names in use elsewhere (an existing config): never given to a secret of another entity. */
  readonly reservedEnv?: Iterable<string>;
  /** Write every imported kind's section even when empty (a full import); else only non-empty ones. */
  readonly emptySections?: boolean;
}

/** The imported model of a live state. Pure. */
export function importedModelOf(live: LiveState, options: ImportModelOptions): ImportedModel {
  const kinds = KINDS_TOP_DOWN.filter((k) => options.kinds.has(k));
  const problems: ImportProblem[] = [];
  const chosen = new Map<Kind, LiveResource[]>();
  const written = new Map<Kind, Set<string>>();
  const problem = (r: LiveResource, code: ImportProblemCode, message: string, hint: string): void => {
    problems.push({
      kind: r.kind,
      key: r.key,
      id: r.live.id,
      code,
      message,
      hint,
      ignore: isIdKey(r.key) ? r.key : ignoreEntryOf(r),
    });
  };

  const idSets = new Map<Kind, Set<string>>();
  const liveIds = (kind: Kind): ReadonlySet<string> => {
    let ids = idSets.get(kind);
    if (!ids) {
      ids = new Set([...(live.resources[kind].values() as Iterable<LiveResource>)].map((x) => x.live.id));
      idSets.set(kind, ids);
    }
    return ids;
  };

  // Top-down, so that what a kind references has been decided before it.
  for (const kind of kinds) {
    const out: LiveResource[] = [];
    const folded = new Map<string, string>();
    const resources = [...(live.resources[kind].values() as Iterable<LiveResource>)].sort((a, b) =>
      compare(a.key, b.key),
    );
    for (const r of resources) {
      if (options.skip?.(kind, r.key)) continue;
      const unaddressable = addressProblem(r, liveIds);
      if (unaddressable) {
        problem(r, unaddressable.code, unaddressable.message, unaddressable.hint);
        continue;
      }
      const unwritable = contentProblem(r);
      if (unwritable) {
        problem(r, unwritable.code, unwritable.message, unwritable.hint);
        continue;
      }
      const dangling = referencesOf(kind).find((ref) => {
        const key = referencedKey(r.attributes, ref);
        if (key === null) return !ref.optional;
        // Named by key, and its kind not imported: the files name it as m3ter does, and a plan checks it is there.
        if (ref.by === 'key' && !options.kinds.has(ref.kind)) return false;
        return !(written.get(ref.kind)?.has(key) ?? false) && !(options.declared?.(ref.kind, key) ?? false);
      });
      if (dangling) {
        const key = referencedKey(r.attributes, dangling);
        problem(
          r,
          'unresolved_reference',
          `${labelOf(kind, r.key)} (id ${r.live.id}) names ${KIND_LABEL[dangling.kind]} ${key === null ? '(none)' : JSON.stringify(key)}, which is not imported`,
          key !== null && isIdKey(key)
            ? `the ${KIND_LABEL[dangling.kind]} it points at has no usable key (see its own entry in this report); fix that one in m3ter, or delete this ${KIND_LABEL[kind]}, then import again`
            : `import the ${KIND_LABEL[dangling.kind]} too (--kinds ${CONFIG_SECTION[dangling.kind]},${CONFIG_SECTION[kind]}), or delete this ${KIND_LABEL[kind]} in m3ter`,
        );
        continue;
      }
      // The loader refuses two keys that differ only in case (links are keyed by codes checked themselves).
      if (kind !== 'link') {
        const other = folded.get(r.key.toLowerCase());
        if (other !== undefined) {
          problem(
            r,
            'case_duplicate_key',
            `${labelOf(kind, r.key)} (id ${r.live.id}) differs only in case from ${JSON.stringify(other)}, which is imported`,
            `the config language refuses keys that differ only in case; rename or delete one of them in m3ter, then import again`,
          );
          continue;
        }
        folded.set(r.key.toLowerCase(), r.key);
      }
      out.push(r);
      (written.get(kind) ?? written.set(kind, new Set()).get(kind))?.add(r.key);
    }
    chosen.set(kind, out);
  }

  const secrets: ImportedSecret[] = [];
  // Compared in upper case: a name differing only in case would read as the same variable on some systems and in a
  // stack's Terraform variables.
  const names = new Set<string>([...(options.reservedEnv ?? [])].map((n) => n.toUpperCase()));
  const entities = emptyByKind<ImportedEntity>();
  for (const kind of kinds) {
    for (const r of chosen.get(kind) ?? []) {
      const entry = entryOf(r, (field) => {
        const env = uniqueName(envNameFor(r, field), names);
        secrets.push({ env, kind, key: r.key, field });
        return { env };
      });
      entities[kind].push({ kind, key: r.key, entry });
    }
  }

  // Values the config language cannot hold (a name that is only spaces, a code m3ter accepted but the language does
  // not): the schema says which, once for the whole document; those are moved to the problems, with what they
  // reference (a link to a webhook left out cannot be written either).
  const doc = Object.fromEntries(kinds.map((k) => [CONFIG_SECTION[k], entities[k].map((e) => e.entry)]));
  const refused = new Map<string, string>();
  for (const issue of validateConfigData(doc)) {
    if (issue.severity !== 'error') continue;
    const [section, index] = parsePointer(issue.pointer);
    const kind = kinds.find((k) => CONFIG_SECTION[k] === section);
    if (kind === undefined || index === undefined) continue;
    const e = entities[kind][Number(index)];
    if (e && !refused.has(`${kind}\u0000${e.key}`))
      refused.set(
        `${kind}\u0000${e.key}`,
        `${issue.pointer.split('/').slice(3).join('.') || 'entry'}: ${issue.message}`,
      );
  }
  if (refused.size > 0) {
    const removed = new Set<string>();
    for (const kind of kinds) {
      const keep: ImportedEntity[] = [];
      for (const e of entities[kind]) {
        const r = live.resources[kind].get(e.key) as LiveResource;
        const why = refused.get(`${kind}\u0000${e.key}`);
        const via = referencesOf(kind).find((ref) => {
          const key = referencedKey(r.attributes, ref);
          return key !== null && removed.has(`${ref.kind}\u0000${key}`);
        });
        if (why === undefined && via === undefined) {
          keep.push(e);
          continue;
        }
        removed.add(`${kind}\u0000${e.key}`);
        if (why !== undefined) {
          problem(
            r,
            'not_expressible',
            `${labelOf(kind, e.key)} (id ${r.live.id}) holds a value the config language does not accept (${why})`,
            'correct the value in m3ter (the Console or the API), then import again',
          );
        } else if (via) {
          const key = referencedKey(r.attributes, via);
          problem(
            r,
            'unresolved_reference',
            `${labelOf(kind, e.key)} (id ${r.live.id}) names ${KIND_LABEL[via.kind]} ${JSON.stringify(key)}, which could not be imported`,
            `fix the ${KIND_LABEL[via.kind]} first (see its entry in this report), then import again`,
          );
        }
      }
      entities[kind] = keep;
    }
  }

  const kept = new Set(kinds.flatMap((k) => entities[k].map((e) => `${k}\u0000${e.key}`)));
  const ignore = emptyByKind<string>();
  for (const p of problems) ignore[p.kind].push(p.ignore);
  return {
    kinds:
      options.emptySections === false
        ? kinds.filter((k) => entities[k].length + ignore[k].length > 0)
        : kinds,
    entities,
    ignore,
    secrets: secrets.filter((s) => kept.has(`${s.kind}\u0000${s.key}`)).sort((a, b) => compare(a.env, b.env)),
    problems,
  };
}

/**
 * Why a live entity's values cannot be written, if so; no value is echoed (it may be a secret). A URL with user
 * info holds a password the files must not; a credential type the language does not know cannot say which of its
 * settings are secret; a setting named as a secret field of its type is a secret m3ter returned (written as text, a
 * `${env:NAME}` there would read back as a reference and send that variable to m3ter).
 */
function contentProblem(
  r: LiveResource,
): { code: ImportProblemCode; message: string; hint: string } | undefined {
  const label = `${labelOf(r.kind, r.key)} (id ${r.live.id})`;
  if (r.kind === 'webhook') {
    const url = (r as LiveResource<'webhook'>).attributes.url;
    if (hasUserInfo(url))
      return {
        code: 'secret_in_value',
        message: `${label} has a URL with a user name or password (${redactUrl(url)}), which the files must not hold`,
        hint: 'remove `user:password@` from the URL in m3ter (m3ter signs each request with the webhook credentials), then import again',
      };
  }
  if (r.kind === 'credential') {
    const a = (r as LiveResource<'credential'>).attributes;
    const found = lookupCredentialType(a.destination, a.type);
    if (!found.ok)
      return {
        code: 'unknown_credential_type',
        message: `${label} is of type ${JSON.stringify(a.type)} at ${JSON.stringify(a.destination)}, which m3ter-config does not know, so it cannot tell its secret settings from the others`,
        hint: 'leave it to the m3ter Console (it stays under ignore), or delete it in m3ter',
      };
    const secretNames = new Set(found.spec.fields.filter((f) => f.secret).map((f) => f.name));
    const known = new Set(found.spec.fields.map((f) => f.name));
    const secret = Object.keys(a.settings).filter((k) => secretNames.has(k));
    if (secret.length > 0)
      return {
        code: 'secret_in_value',
        message: `${label} has ${secret.join(', ')} among its settings, a secret of its type that the files must not hold`,
        hint: 're-create the credential in m3ter with the secret as a secret, then import again',
      };
    const unknown = Object.keys(a.settings).filter((k) => !known.has(k));
    if (unknown.length > 0)
      return {
        code: 'not_expressible',
        message: `${label} has settings its type does not list (${unknown.map((k) => JSON.stringify(k)).join(', ')}); they may be secret, so they are not written`,
        hint: 'remove them in m3ter, or leave the credential to the m3ter Console (it stays under ignore)',
      };
  }
  return undefined;
}

/** True when a URL carries user info (`user:password@`), whether or not it parses. */
function hasUserInfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return redactUrl(url) !== url;
  }
}

/** Why a live entity has no key the files can address, if so. */
function addressProblem(
  r: LiveResource,
  liveIds: (kind: Kind) => ReadonlySet<string>,
): { code: ImportProblemCode; message: string; hint: string } | undefined {
  if (!isIdKey(r.key)) return undefined;
  const label = KIND_LABEL[r.kind];
  if (r.live.duplicateOf !== undefined) {
    return {
      code: 'duplicate_key',
      message: `${label} id ${r.live.id} has the same key as ${labelOf(r.kind, r.live.duplicateOf)}, which is older and is imported`,
      hint: `two entities cannot share a key in the files: delete this copy in m3ter (or give it a key of its own), then import again; a plan of the imported files, without this ignore entry, deletes it as a copy`,
    };
  }
  for (const ref of referencesOf(r.kind)) {
    const key = referencedKey(r.attributes, ref);
    if (key === null || !isIdKey(key)) continue;
    const id = key.slice('id:'.length);
    const target = `${KIND_LABEL[ref.kind]} id ${id}`;
    return liveIds(ref.kind).has(id)
      ? {
          code: 'unresolved_reference',
          message: `${label} id ${r.live.id} points at ${target}, which has no usable key (see its own entry)`,
          hint: `fix that ${KIND_LABEL[ref.kind]} in m3ter (give it a key of its own), then import again`,
        }
      : {
          code: 'unresolved_reference',
          message: `${label} id ${r.live.id} points at ${target}, which does not exist`,
          hint: `delete this ${label} in m3ter (it can never fire), or point it at an existing ${KIND_LABEL[ref.kind]}, then import again`,
        };
  }
  return {
    code: 'no_natural_key',
    message: `${label} id ${r.live.id} has no ${r.kind === 'credential' ? 'name' : 'code'}, so the files cannot name it`,
    hint: `give it a ${r.kind === 'credential' ? 'name' : 'code'} in m3ter (the Console or the API), then import again`,
  };
}

/**
 * The ignore entry that matches exactly this entity's key (credentials: with m3ter's destination value): glob
 * characters in it escaped, so `legacy*` left under ignore is not a pattern for every key that starts `legacy`.
 */
function ignoreEntryOf(r: LiveResource): string {
  return escapeGlob(r.key);
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name.toUpperCase()); n++) name = `${base}_${n}`;
  taken.add(name.toUpperCase());
  return name;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyByKind<T>(): Record<Kind, T[]> {
  return Object.fromEntries(KINDS_TOP_DOWN.map((k) => [k, []])) as unknown as Record<Kind, T[]>;
}
