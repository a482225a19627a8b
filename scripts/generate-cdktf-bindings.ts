/**
 * Generates the provider bindings for m3ter's Terraform provider, one set per core: src/cdktf/generated/cdktf/ (for
 * `cdktf` 0.21) and src/cdktf/generated/cdktn/ (for CDK Terrain), from ../shared's `terraform providers schema -json`
 * copy (kept in schemas/terraform-provider-schema.json) with `@cdktf/provider-generator`. The CDK Terrain set is the
 * same code with its core import renamed: the generators differ only in that name, and `@cdktn/provider-generator`
 * needs jsii and jsii-pacmak to load.
 * src/cdktf/cdktn.ts is made the same way from src/cdktf/cdktf.ts.
 * `npm run generate:cdktf` writes the files; test/unit/cdktf/generated-bindings.test.ts fails when they are stale.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PROVIDER_SCHEMA_PATH = path.join(ROOT, 'schemas/terraform-provider-schema.json');
export const BINDINGS_DIR = path.join(ROOT, 'src/cdktf/generated');
export const CORES = ['cdktf', 'cdktn'] as const;
/** The cdktf entry point, written by hand, and the CDK Terrain one, made from it with the core renamed. */
export const CDKTF_ENTRY = path.join(ROOT, 'src/cdktf/cdktf.ts');
export const CDKTN_ENTRY = path.join(ROOT, 'src/cdktf/cdktn.ts');

const CDKTN_HEADER = `/**
 * \`m3ter-config/cdktn\`: m3ter constructs for CDK Terrain (\`cdktn\` 0.24), the community continuation of CDKTF. Made
 * from src/cdktf/cdktf.ts (the \`m3ter-config/cdktf\` entry point) with the core renamed; the constructs themselves are
 * written once, in constructs.ts. A stack uses one core only.
 */
`;

/** src/cdktf/cdktn.ts: the cdktf entry point with its core, bindings and kit renamed. */
export async function generateCdktnEntry(): Promise<string> {
  const source = await readFile(CDKTF_ENTRY, 'utf8');
  const body = source
    .slice(source.indexOf(' */\n') + 4)
    .replace("from 'cdktf';", "from 'cdktn';")
    .replace('./generated/cdktf/', './generated/cdktn/')
    .replace("makeKit('cdktf'", "makeKit('cdktn'");
  const banner =
    '// GENERATED FILE: do not edit. Made by scripts/generate-cdktf-bindings.ts from src/cdktf/cdktf.ts (npm run generate:cdktf).\n';
  return `${banner}${CDKTN_HEADER}${body}`;
}

/** The provider and the constraint synth writes into `required_providers` (the generator writes none by itself). */
export const PROVIDER = { name: 'm3ter', source: 'm3ter-com/m3ter', version: '~> 0.9.0' } as const;

const BANNER =
  '// GENERATED FILE: do not edit. Made by scripts/generate-cdktf-bindings.ts from schemas/terraform-provider-schema.json (npm run generate:cdktf).\n';

/**
 * The generated files, by path relative to BINDINGS_DIR. Relative imports get `.js` (`/index.js` for a folder) so
 * the compiled package runs under plain node; READMEs are left out.
 */
export async function generateBindings(): Promise<Map<string, string>> {
  // Loading the schema runs `terraform version` and would send telemetry without this.
  process.env['CHECKPOINT_DISABLE'] = '1';
  const { CodeMaker } = await import('codemaker');
  // The package root needs jsii; the generator class alone does not.
  const { TerraformProviderGenerator } =
    await import('@cdktf/provider-generator/lib/get/generator/provider-generator.js');
  const schema: unknown = JSON.parse(await readFile(PROVIDER_SCHEMA_PATH, 'utf8'));
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema as never);
  generator.generate({ ...PROVIDER, fqn: PROVIDER.source, namespace: undefined } as never);
  const dir = await mkdtemp(path.join(tmpdir(), 'm3ter-cdktf-bindings-'));
  try {
    await code.save(dir);
    const base = path.join(dir, 'providers', PROVIDER.name);
    const files = (await walk(base)).filter((f) => f.endsWith('.ts') && !f.endsWith('lazy-index.ts'));
    const folders = new Set(files.map((f) => path.dirname(f)));
    const out = new Map<string, string>();
    for (const file of files.sort()) {
      const rel = path.relative(base, file).split(path.sep).join('/');
      const text = await readFile(file, 'utf8');
      const fixed = text.replace(/from '(\.{1,2}\/[^']*)'/g, (_m, spec: string) => {
        const target = path.resolve(path.dirname(file), spec);
        return `from '${spec}${folders.has(target) ? '/index.js' : '.js'}'`;
      });
      for (const core of CORES) {
        const body = core === 'cdktf' ? fixed : fixed.replace(/from 'cdktf'/g, `from '${core}'`);
        out.set(`${core}/${rel}`, `${BANNER}// @ts-nocheck\n${body}`);
      }
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])),
  );
  return nested.flat();
}

async function main(): Promise<void> {
  const files = await generateBindings();
  await rm(BINDINGS_DIR, { recursive: true, force: true });
  for (const [rel, text] of files) {
    const target = path.join(BINDINGS_DIR, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  await writeFile(CDKTN_ENTRY, await generateCdktnEntry());
  process.stdout.write(
    `wrote ${files.size} files under ${path.relative(ROOT, BINDINGS_DIR)} and ${path.relative(ROOT, CDKTN_ENTRY)}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
