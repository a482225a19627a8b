/**
 * Generates src/schema/generated/validators.ts from schemas/*.json: ajv's standalone code for the root schema, the
 * saved-plan, apply-record and drift-report schemas, so the CLI never compiles a schema at run time. `npm run generate:validators` writes the
 * file; test/unit/schema/schemas.test.ts fails when it is stale.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import {
  createSchemasAjv,
  ROOT_SCHEMA_ID,
  SAVED_PLAN_SCHEMA_ID,
  SCHEMA_ID_BASE,
} from '../src/schema/compile.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED_VALIDATORS_PATH = path.join(ROOT, 'src/schema/generated/validators.ts');

const BANNER = [
  '// GENERATED FILE: do not edit. Made by scripts/generate-validators.ts from schemas/*.json (npm run generate:validators).',
  '// @ts-nocheck',
  '/* eslint-disable */',
].join('\n');

type Standalone = (ajv: unknown, refs: Record<string, string>) => string;
// ajv is CommonJS: the default import is `module.exports`, whose `default` is the function.
const standalone = ((standaloneModule as unknown as { default?: Standalone }).default ??
  standaloneModule) as unknown as Standalone;

export function generateValidators(): string {
  const code = standalone(createSchemasAjv({ source: true }), {
    configValidator: ROOT_SCHEMA_ID,
    savedPlanValidator: SAVED_PLAN_SCHEMA_ID,
    applyRecordValidator: `${SCHEMA_ID_BASE}apply-record.schema.json`,
    driftReportValidator: `${SCHEMA_ID_BASE}drift-report.schema.json`,
  });
  // The code is ESM but for ajv's runtime helpers (CommonJS), which it require()s: give it a require.
  const body = code.replace(/^"use strict";/, '');
  const prelude =
    "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);";
  return `${BANNER}\n${prelude}\n${body}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writeFile(GENERATED_VALIDATORS_PATH, generateValidators());
  process.stdout.write(`wrote ${path.relative(process.cwd(), GENERATED_VALIDATORS_PATH)}\n`);
}
