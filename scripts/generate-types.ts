/**
 * Generates src/model/generated/config-types.ts from schemas/*.json with json-schema-to-typescript.
 * `npm run generate:types` writes the file; test/unit/schema/generated-types.test.ts fails when it is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMAS_DIR = path.join(ROOT, 'schemas');
export const GENERATED_TYPES_PATH = path.join(ROOT, 'src/model/generated/config-types.ts');
const ID_PREFIX = 'https://m3ter-config.dev/schemas/';

const BANNER =
  '// GENERATED FILE: do not edit. Made by scripts/generate-types.ts from schemas/*.json (npm run generate:types).\n';

/**
 * Reads `$ref`s by `$id` from the local schemas/ folder, never from the network. A description written beside a
 * `$ref` documents the field for editors; it is dropped here, else every such field becomes its own numbered alias
 * (`Text1`, `SecretRef7`, ...).
 */
async function readSchema(url: string): Promise<string> {
  const name = url.startsWith(ID_PREFIX) ? url.slice(ID_PREFIX.length) : path.basename(url);
  const text = await readFile(path.join(SCHEMAS_DIR, name.split('#')[0] ?? name), 'utf8');
  return JSON.stringify(JSON.parse(text, (_key, value: unknown) => dropRefSiblings(value)));
}

function dropRefSiblings(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && '$ref' in value) {
    const { description: _d, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}

export async function generateTypes(): Promise<string> {
  const root = JSON.parse(await readSchema(`${ID_PREFIX}m3ter-config.schema.json`)) as Record<
    string,
    unknown
  >;
  const ts = await compile(root, 'M3terConfigFile', {
    bannerComment: '',
    cwd: SCHEMAS_DIR,
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { singleQuote: true, printWidth: 110 },
    $refOptions: {
      resolve: {
        http: false,
        file: false,
        m3terSchemas: {
          order: 1,
          canRead: true,
          read: (file: { url: string }) => readSchema(file.url),
        },
      },
    },
  });
  return BANNER + ts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writeFile(GENERATED_TYPES_PATH, await generateTypes());
  process.stdout.write(`wrote ${path.relative(process.cwd(), GENERATED_TYPES_PATH)}\n`);
}
