import { labelOf, writtenReference } from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { ImportedEntity } from './imported.js';
import { tsValue } from './ts-text.js';

/**
 * emit/'s per-kind part for `import --format cdktf|cdktn` (cdktf.ts): the construct each kind is written as, and the
 * statement that writes one entity. An exhaustive table over Kind.
 */

/** What cdktf.ts gives each kind's writer. */
export interface StackContext {
  /** The construct id, as a TypeScript string literal. */
  readonly id: string;
  /** A fresh variable named after `prefix`, remembered as the one holding this entity. */
  declare(prefix: string): string;
  /** The variable holding the entity of `kind` that a reference names as written (undefined: not in the stack). */
  variableOf(kind: Kind, written: string): string | undefined;
  /** A secret field as a `sensitiveVariable(...)` expression. */
  secretOf(field: string): string;
  /** `{ k: v, ... }` at an indent. */
  props(fields: [string, string][], indent: number): string;
  /** The entry's own fields as literals, but those in `skip`. */
  literal(skip: readonly string[]): [string, string][];
}

export interface StackKind {
  /** The construct id's prefix. */
  readonly prefix: string;
  /** The construct class it is written with, imported from m3ter-config (none: written through another's). */
  readonly construct?: string;
  /** The statement(s) for one entity. */
  readonly write: (e: ImportedEntity, ctx: StackContext) => string;
}

const isEnv = (v: Json | undefined): boolean =>
  !!v && typeof v === 'object' && !Array.isArray(v) && typeof v['env'] === 'string';

const CREDENTIAL_OWN = ['name', 'destination', 'type'];

export const STACK_KINDS: { readonly [K in Kind]: StackKind } = {
  credential: {
    prefix: 'credential',
    construct: 'Credential',
    write: (e, ctx) => {
      const v = ctx.declare('credential');
      const fields = Object.entries(e.entry)
        .filter(([k]) => !CREDENTIAL_OWN.includes(k))
        .map(([k, x]): [string, string] => [k, isEnv(x) ? ctx.secretOf(k) : tsValue(x, 4)]);
      const own = ctx.literal(Object.keys(e.entry).filter((k) => !CREDENTIAL_OWN.includes(k)));
      if (fields.length > 0) own.push(['fields', ctx.props(fields, 2)]);
      return `const ${v} = new Credential(stack, ${ctx.id}, ${ctx.props(own, 0)});`;
    },
  },
  integration: {
    prefix: 'integration',
    construct: 'Integration',
    write: (e, ctx) => {
      const fields = ctx.literal(['credential']);
      const ref = e.entry['credential'];
      if (typeof ref === 'string') {
        const v = ctx.variableOf('credential', ref);
        if (!v) throw new Error(`import: ${labelOf(e.kind, e.key)} names a credential not in the stack`);
        fields.push(['credential', v]);
      }
      return `new Integration(stack, ${ctx.id}, ${ctx.props(fields, 0)});`;
    },
  },
  webhook: {
    prefix: 'webhook',
    construct: 'Webhook',
    write: (e, ctx) => {
      const v = ctx.declare('webhook');
      const creds = (e.entry['credentials'] ?? {}) as Record<string, Json>;
      if (creds['type'] !== undefined && creds['type'] !== 'M3TER_SIGNED_REQUEST')
        throw new Error(`import: ${labelOf(e.kind, e.key)} has credentials of type ${String(creds['type'])}`);
      const fields = ctx.literal(['credentials']);
      fields.push(['apiKey', ctx.secretOf('apiKey')], ['secret', ctx.secretOf('secret')]);
      return `const ${v} = new Webhook(stack, ${ctx.id}, ${ctx.props(fields, 0)});`;
    },
  },
  scheduledEvent: {
    prefix: 'scheduled-event',
    construct: 'ScheduledEvent',
    write: (e, ctx) => {
      const v = ctx.declare('scheduledEvent');
      return `const ${v} = new ScheduledEvent(stack, ${ctx.id}, ${ctx.props(ctx.literal([]), 0)});`;
    },
  },
  notificationRule: {
    prefix: 'rule',
    construct: 'NotificationRule',
    write: (e, ctx) => {
      const v = ctx.declare('rule');
      const fields = ctx.literal([]);
      // A scheduled event of the stack is passed as itself, so Terraform creates it before the rule.
      const scheduled = ctx.variableOf('scheduledEvent', String(e.entry['eventName']));
      const props = scheduled
        ? fields.map(([k, x]): [string, string] => [k, k === 'eventName' ? scheduled : x])
        : fields;
      return `const ${v} = new NotificationRule(stack, ${ctx.id}, ${ctx.props(props, 0)});`;
    },
  },
  link: {
    prefix: 'link',
    // Written as the rule's notify(webhook).
    write: (e, ctx) => {
      const rule = ctx.variableOf('notificationRule', String(e.entry['rule']));
      const webhook = ctx.variableOf('webhook', String(e.entry['webhook']));
      if (!rule || !webhook)
        throw new Error(`import: ${labelOf(e.kind, e.key)} names a rule or webhook not in the stack`);
      const opts = e.entry['active'] === false ? ', { active: false }' : '';
      return `${rule}.notify(${webhook}${opts});`;
    },
  },
};

/** The key a reference to this entity is written with, for `variableOf`. */
export const writtenKeyOf = (e: ImportedEntity): string => writtenReference(e.kind, e.key);
