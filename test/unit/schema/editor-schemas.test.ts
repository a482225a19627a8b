import { readFileSync } from 'node:fs';
import * as ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { EDITOR_ROOT_SCHEMA_FILE, generateEditorSchemas } from '../../../scripts/generate-editor-schemas.js';
import { SCHEMA_ID_BASE, SCHEMAS_DIR } from '../../../src/schema/compile.js';

const generated = generateEditorSchemas();

function editorValidator() {
  const ajv = new ajv2020.Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  for (const keyword of ['x-issue', 'x-hint', 'x-secret']) ajv.addKeyword({ keyword });
  for (const text of generated.values()) ajv.addSchema(JSON.parse(text) as object);
  const validate = ajv.getSchema(SCHEMA_ID_BASE + EDITOR_ROOT_SCHEMA_FILE);
  if (!validate) throw new Error('no editor root schema');
  return validate;
}

const hook = (fields: Record<string, unknown>) => ({
  webhooks: [
    {
      name: 'Ops',
      description: 'Ops hook',
      url: 'https://example.com',
      credentials: { apiKey: { env: 'K' }, secret: { env: 'S' } },
      ...fields,
    },
  ],
});

describe('schemas/editor-*.schema.json (for editors of files that use vars)', () => {
  it('are generated from schemas/ and up to date', () => {
    for (const [name, text] of generated) {
      expect(readFileSync(SCHEMAS_DIR + name, 'utf8'), name).toBe(text);
    }
  });

  it('take { var: NAME } in any scalar field of an entry, and ${var:NAME} in a string', () => {
    const validate = editorValidator();
    const ok = [
      hook({ active: { var: 'opsActive' } }),
      hook({ url: { var: 'receiver' } }),
      hook({ url: '${var:receiverBase}/m3ter' }),
      hook({ code: { var: 'code' }, name: { var: 'name' } }),
      {
        environments: { sandbox: { orgId: 'o', production: false, vars: { opsActive: true } } },
        ...hook({ active: { var: 'opsActive' } }),
      },
    ];
    for (const data of ok) expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });

  it('still refuse what the files may never hold: unknown keys, a var as a secret, a bad var name', () => {
    const validate = editorValidator();
    for (const data of [
      hook({ colour: 'red' }),
      hook({ credentials: { apiKey: { var: 'key' }, secret: { env: 'S' } } }),
      hook({ active: { var: '1bad' } }),
      hook({ active: 'yes' }),
      { environments: { sandbox: { orgId: 'o' } } },
    ])
      expect(validate(data), JSON.stringify(data)).toBe(false);
  });
});
