import { KIND_LABEL } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import {
  type Declaration,
  declareCredential,
  declareIntegration,
  declareLink,
  declareRule,
  declareScheduledEvent,
  declareWebhook,
} from './build.js';
import type { BuildContext } from './context.js';
import { normalizeCredentialIgnore } from './ignore.js';

/**
 * load/'s per-kind part for config files: how each kind's entries are read (build.ts), what is said when one is
 * declared twice, and how its ignore patterns are written. An exhaustive table over Kind, so a kind without one does
 * not compile.
 */

export type Declare = (
  ctx: BuildContext,
  pointer: string,
  raw: unknown,
  clean: (p: string) => boolean,
) => Declaration;

/** What is said of a declaration `d` whose key repeats that of `prev` (declared at `where`). */
export interface DuplicateMessage {
  code: string;
  message: string;
  hint: string;
}
type Duplicate = (d: Declaration, prev: Declaration, where: string) => DuplicateMessage;

export interface DeclareKind {
  readonly declare: Declare;
  /** The same key declared twice. */
  readonly duplicate: Duplicate;
  /** Two keys that differ only in case, for kinds whose keys are case-folded (kinds/); default: as codes. */
  readonly caseDuplicate?: Duplicate;
  /** How to declare what a dangling reference to this kind names. */
  readonly declareHint: string;
  /** An ignore entry as the kind's keys are matched. */
  readonly ignorePattern?: (entry: string) => string;
}

const nameOf = (key: string | undefined) => JSON.stringify((key ?? '').slice((key ?? '').indexOf('/') + 1));

const codeDuplicate =
  (hint: string): Duplicate =>
  (d, prev, where) => {
    const derived = d.derivedCode ? ' (derived from its name)' : '';
    const prevDerived = prev.derivedCode ? ' (derived from its name)' : '';
    return {
      code: 'duplicate_code',
      message: `${KIND_LABEL[d.kind]} code "${d.key ?? ''}"${derived} is already declared at ${where}${prevDerived}`,
      hint,
    };
  };

const keyDuplicate =
  (code: string, hint: string): Duplicate =>
  (d, _prev, where) => ({
    code,
    message: `the ${KIND_LABEL[d.kind]} ${d.key ?? ''} is already declared at ${where}`,
    hint,
  });

/** m3ter's Console derives lower-case codes, so two codes that differ only in case are one entity written twice. */
export const codeCaseDuplicate: Duplicate = (d, other, where) => ({
  code: 'case_duplicate_code',
  message: `${KIND_LABEL[d.kind]} code "${d.key ?? ''}" differs only in case from "${other.key ?? ''}", declared at ${where}`,
  hint: 'codes that differ only in case are almost always the same entity (m3ter derives lower-case codes); use one spelling',
});

export const DECLARE_KINDS: { readonly [K in Kind]: DeclareKind } = {
  credential: {
    declare: declareCredential,
    duplicate: (d, _prev, where) => ({
      code: 'duplicate_name',
      message: `an ${KIND_LABEL.credential} named ${nameOf(d.key)} for this destination is already declared at ${where}`,
      hint: 'credential names must be unique per destination across all files; rename one of them',
    }),
    caseDuplicate: (d, other, where) => ({
      code: 'case_duplicate_name',
      message: `an ${KIND_LABEL.credential} named ${nameOf(d.key)} differs only in case from ${nameOf(other.key)} for this destination, declared at ${where}`,
      hint: 'credential names that differ only in case are almost always the same credential; use one spelling',
    }),
    declareHint: 'declare the credential under credentials (as `Destination/name`), or fix the reference',
    ignorePattern: normalizeCredentialIgnore,
  },
  integration: {
    declare: declareIntegration,
    duplicate: keyDuplicate(
      'duplicate_key',
      'remove one of the two, or give them different names (the name is part of the key)',
    ),
    declareHint: 'declare the integration under integrations, or fix the reference',
  },
  webhook: {
    declare: declareWebhook,
    duplicate: codeDuplicate(
      'codes must be unique across all files; rename one, or give it an explicit `code:`',
    ),
    declareHint:
      'declare the webhook under webhooks (its code, or the code derived from its name), or fix the code',
  },
  scheduledEvent: {
    declare: declareScheduledEvent,
    duplicate: keyDuplicate('duplicate_key', 'remove one of the two'),
    declareHint: 'declare the scheduled event under scheduledEvents, or fix the name',
  },
  notificationRule: {
    declare: declareRule,
    duplicate: codeDuplicate('codes must be unique across all files; rename one of them'),
    declareHint: 'declare the rule under notificationRules, or fix the code',
  },
  link: {
    declare: declareLink,
    duplicate: keyDuplicate('duplicate_link', 'remove one of the two'),
    declareHint: 'declare the link under links, or fix the reference',
  },
};
