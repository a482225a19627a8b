import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';

/**
 * The bad-input corpus: each directory under test/fixtures/bad is loaded on its own (cwd = that directory, path `.`)
 * and must give exactly these issues: [severity, code, file, line, col, pointer], in this order.
 */
const ROOT = fileURLToPath(new URL('../../fixtures/bad/', import.meta.url));

/** Secret values of the fixtures' environment, and literal secrets written in fixtures: none may be printed. */
const FIXTURE_ENV = {
  WEBHOOK_API_KEY: 'fixture-api-key-value',
  WEBHOOK_SECRET: 'fixture-secret-value',
  STRIPE_KEY: 'whsec_fixture_value',
  EMPTY_VAR: '',
};
const LITERALS = [
  's3cr3t-literal-value',
  'cb_live_literal_key_value',
  '12345678',
  'fallback-literal',
  'hunter2',
];

type Row = [severity: 'E' | 'W', code: string, file: string, line: number, col: number, pointer: string];

const EXPECTED: Record<string, Row[]> = {
  'bad-code': [['E', 'bad_code', 'config.yaml', 2, 11, '/webhooks/0/code']],
  'bad-event-name-two-parts': [
    ['E', 'bad_event_name', 'config.yaml', 5, 16, '/notificationRules/0/eventName'],
  ],
  'bad-event-name-upper-case': [
    ['E', 'bad_event_name', 'config.yaml', 5, 16, '/notificationRules/0/eventName'],
  ],
  'bad-event-name-words': [['E', 'bad_event_name', 'config.yaml', 5, 16, '/notificationRules/0/eventName']],
  'bad-url-ftp': [['E', 'bad_url', 'config.yaml', 5, 10, '/webhooks/0/url']],
  'bad-url-no-scheme': [['E', 'bad_url', 'config.yaml', 5, 10, '/webhooks/0/url']],
  'bad-url-unparseable': [['E', 'bad_url', 'config.yaml', 5, 10, '/webhooks/0/url']],
  'blank-description': [['E', 'empty_string', 'config.yaml', 4, 18, '/notificationRules/0/description']],
  'calculation-ignored': [
    ['W', 'calculation_ignored', 'config.yaml', 7, 18, '/notificationRules/0/calculation'],
  ],
  'credential-inapplicable-setting': [['E', 'unknown_key', 'config.yaml', 6, 5, '/credentials/0/site']],
  'credential-missing-setting': [['E', 'required', 'config.yaml', 2, 5, '/credentials/0']],
  'dangling-link-rule': [['E', 'dangling_link', 'config.yaml', 15, 11, '/links/0/rule']],
  'dangling-integration-credential': [
    ['E', 'dangling_link', 'config.yaml', 9, 17, '/integrations/0/credential'],
  ],
  'dangling-link-webhook': [['E', 'dangling_link', 'config.yaml', 16, 14, '/links/0/webhook']],
  'duplicate-code-across-files': [['E', 'duplicate_code', 'b.yaml', 3, 11, '/webhooks/0/code']],
  'duplicate-credential-name': [['E', 'duplicate_name', 'two.yml', 2, 11, '/credentials/0/name']],
  'duplicate-derived-code': [['E', 'duplicate_code', 'team/b.yaml', 2, 11, '/webhooks/0/name']],
  'duplicate-integration-across-files': [['E', 'duplicate_key', 'b.yaml', 5, 5, '/integrations/1']],
  'duplicate-link': [['E', 'duplicate_link', 'config.yaml', 17, 5, '/links/1']],
  'empty-env': [['E', 'empty_env', 'config.yaml', 8, 15, '/webhooks/0/credentials/secret']],
  'empty-string-name': [['E', 'empty_string', 'config.yaml', 3, 11, '/webhooks/0/name']],
  'ignore-bad-link-pattern': [['E', 'bad_ignore_pattern', 'config.yaml', 2, 11, '/ignore/links/0']],
  'ignore-unknown-kind': [['E', 'unknown_key', 'config.yaml', 2, 3, '/ignore/rules']],
  'integration-notification-entity-type': [
    ['E', 'bad_entity_type', 'config.yaml', 2, 17, '/integrations/0/entityType'],
  ],
  'insecure-url': [['W', 'insecure_url', 'config.yaml', 5, 10, '/webhooks/0/url']],
  'literal-secret-credential': [['E', 'literal_secret', 'config.yaml', 6, 13, '/credentials/0/apiKey']],
  'literal-secret-number': [['E', 'literal_secret', 'config.yaml', 7, 15, '/webhooks/0/credentials/apiKey']],
  'literal-secret-webhook': [['E', 'literal_secret', 'config.yaml', 8, 15, '/webhooks/0/credentials/secret']],
  'missing-env': [['E', 'missing_env', 'config.yaml', 8, 15, '/webhooks/0/credentials/secret']],
  'no-config-files': [['E', 'no_config_files', '.', 0, 0, '']],
  'required-rule-code': [['E', 'required', 'config.yaml', 2, 5, '/notificationRules/0']],
  'required-url': [['E', 'required', 'config.yaml', 2, 5, '/webhooks/0']],
  'required-webhook-credentials': [['E', 'required', 'config.yaml', 2, 5, '/webhooks/0']],
  'root-not-mapping': [['E', 'wrong_type', 'config.yaml', 1, 1, '']],
  'secret-bad-env-name': [['E', 'bad_env_name', 'config.yaml', 8, 22, '/webhooks/0/credentials/secret/env']],
  'secret-bad-env-string': [['E', 'bad_env_name', 'config.yaml', 8, 15, '/webhooks/0/credentials/secret']],
  'secret-ref-default': [
    ['E', 'unknown_key', 'config.yaml', 8, 38, '/webhooks/0/credentials/secret/default'],
  ],
  'section-not-list': [['E', 'wrong_type', 'config.yaml', 2, 3, '/notificationRules']],
  'section-null': [['E', 'wrong_type', 'config.yaml', 2, 1, '/webhooks']],
  'shell-variable-secret': [['E', 'bad_secret_ref', 'config.yaml', 8, 15, '/webhooks/0/credentials/secret']],
  'underivable-code': [['E', 'underivable_code', 'config.yaml', 2, 11, '/webhooks/0/name']],
  'unknown-credential-combination': [
    ['E', 'unknown_credential_type', 'config.yaml', 4, 11, '/credentials/0/type'],
  ],
  'unknown-credential-destination': [
    ['E', 'unknown_credential_type', 'config.yaml', 3, 18, '/credentials/0/destination'],
  ],
  'unknown-event-category': [
    ['W', 'unknown_event_category', 'config.yaml', 5, 16, '/notificationRules/0/eventName'],
  ],
  'unknown-nested-key': [
    ['E', 'required', 'config.yaml', 2, 5, '/webhooks/0'],
    ['E', 'unknown_key', 'config.yaml', 5, 5, '/webhooks/0/urls'],
  ],
  'unknown-top-level-key': [['E', 'unknown_key', 'config.yaml', 1, 1, '/webhook']],
  'url-with-credentials': [['E', 'url_credentials', 'config.yaml', 5, 10, '/webhooks/0/url']],
  'webhook-credential-type': [
    ['E', 'unknown_credential_type', 'config.yaml', 7, 13, '/webhooks/0/credentials/type'],
  ],
  'wrong-type-boolean': [['E', 'wrong_type', 'config.yaml', 9, 13, '/webhooks/0/active']],
  'wrong-type-code-number': [['E', 'wrong_type', 'config.yaml', 2, 11, '/notificationRules/0/code']],
  'yaml-bad-indent': [['E', 'yaml_syntax', 'config.yaml', 3, 1, '']],
  'yaml-duplicate-key': [['E', 'duplicate_key', 'config.yaml', 4, 5, '']],
  'yaml-multiple-documents': [['E', 'multiple_documents', 'config.yaml', 9, 1, '']],
  'yaml-unclosed-quote': [['E', 'yaml_syntax', 'config.yaml', 4, 1, '']],
  'yaml-unresolved-alias': [['E', 'yaml_syntax', 'config.yaml', 4, 18, '']],
};

/** Fragments some messages must contain (the first place of a duplicate, the variable's name, ...). */
const MESSAGE_HAS: Record<string, string[]> = {
  'duplicate-code-across-files': ['a.yaml:2:11'],
  'duplicate-derived-code': ['a.yaml:2:11', 'derived from its name'],
  'duplicate-link': ['config.yaml:15:5'],
  'duplicate-credential-name': ['one.yaml:2:11'],
  'missing-env': ['NOT_SET_ANYWHERE'],
  'empty-env': ['EMPTY_VAR'],
  'dangling-link-rule': ['bill_crated'],
  'dangling-integration-credential': ['STRIPE/prod-stirpe'],
  'duplicate-integration-across-files': ['Account->NetSuite', 'a.yaml:2:5'],
  'integration-notification-entity-type': ['"Notification"'],
  'unknown-credential-combination': ['HTTP_BASIC'],
};
const HINT_HAS: Record<string, string[]> = {
  'literal-secret-webhook': ['secret: { env: ORDERS_WEBHOOK_SECRET }'],
  'literal-secret-credential': ['apiKey: { env: BILLING_API_KEY }'],
  'dangling-link-rule': ['did you mean "bill_created"?'],
  'dangling-integration-credential': ['did you mean "STRIPE/prod-stripe"?'],
  'integration-notification-entity-type': ['declared under `links`'],
  'unknown-credential-combination': [
    'Chargebee takes CHARGEBEE_AUTH',
    'Known combinations:',
    'Stripe: STRIPE_SIGNED_REQUEST',
  ],
  'unknown-credential-destination': ['did you mean "Stripe"?'],
  'unknown-top-level-key': ['did you mean "webhooks"?'],
};

describe('bad-input corpus', () => {
  it('has a fixture directory for every table row, and at least 30', () => {
    const dirs = readdirSync(ROOT).sort();
    expect(dirs).toEqual(Object.keys(EXPECTED).sort());
    expect(dirs.length).toBeGreaterThanOrEqual(30);
  });

  for (const [name, rows] of Object.entries(EXPECTED)) {
    it(name, async () => {
      const result = await loadConfig(['.'], { env: FIXTURE_ENV, cwd: ROOT + name });
      const got = result.issues.map((i): Row => [
        i.severity === 'error' ? 'E' : 'W',
        i.code,
        i.file,
        i.line,
        i.col,
        i.pointer,
      ]);
      expect(got).toEqual(rows);
      if (rows.some((r) => r[0] === 'E')) expect(result.state).toBeUndefined();
      else expect(result.state).toBeDefined();
      for (const i of result.issues) {
        expect(i.message.length).toBeGreaterThan(0);
        const text = `${i.message}\n${i.hint ?? ''}`;
        for (const v of [...Object.values(FIXTURE_ENV).filter((v) => v !== ''), ...LITERALS]) {
          expect(text).not.toContain(v);
        }
      }
      const messages = result.issues.map((i) => i.message).join('\n');
      for (const frag of MESSAGE_HAS[name] ?? []) expect(messages).toContain(frag);
      const hints = result.issues.map((i) => i.hint ?? '').join('\n');
      for (const frag of HINT_HAS[name] ?? []) expect(hints).toContain(frag);
    });
  }
});
