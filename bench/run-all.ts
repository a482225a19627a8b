/**
 * `npm run bench`: every benchmark, one after the other (never part of `npm test`).
 * Each prints its own figures; this prints a closing table and exits non-zero when a target is missed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface BenchModule {
  run(): Promise<{ ok?: boolean } & Record<string, unknown>>;
}

const BENCHES = ['cli-e2e', 'emulator-get', 'plan-10k', 'create-plan-100k', 'apply-1000'] as const;

const only = process.argv.slice(2);
const results: { name: string; ok: boolean | undefined }[] = [];
for (const name of BENCHES) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(fileURLToPath(file))) continue;
  console.log(`\n=== ${name}`);
  const mod = (await import(file.href)) as BenchModule;
  const result = await mod.run();
  results.push({ name, ok: result.ok });
}
console.log('\n=== summary');
for (const r of results)
  console.log(`${r.name.padEnd(14)} ${r.ok === undefined ? 'done' : r.ok ? 'target met' : 'TARGET MISSED'}`);
process.exitCode = results.some((r) => r.ok === false) ? 1 : 0;
