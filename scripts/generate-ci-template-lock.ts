/**
 * Writes examples/ci/package-lock.json: what `npm install --package-lock-only` records for the template's
 * package.json, with m3ter-config resolved from a tarball packed from this checkout, then pointed back at the
 * template's placeholder address and stripped of its integrity (the bytes of a release not yet made are not known;
 * the user's own `npm install --package-lock-only` records them, and the CI steps refuse a lock without them).
 * Every other entry is what npm resolved. Run after a change to this package's dependencies:
 *   npm run build && npx tsx scripts/generate-ci-template-lock.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = path.join(ROOT, 'examples/ci');

interface LockEntry {
  resolved?: string;
  integrity?: string;
  [key: string]: unknown;
}
interface Lock {
  name: string;
  packages: Record<string, LockEntry & { dependencies?: Record<string, string> }>;
}

const work = mkdtempSync(path.join(tmpdir(), 'm3ter-config-ci-lock-'));
try {
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  const manifest = JSON.parse(readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const address = manifest.dependencies['m3ter-config'];
  if (!address) throw new Error('examples/ci/package.json has no m3ter-config dependency');
  const local = `file:${path.join(work, tarball)}`;
  const project = path.join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify(
      { ...manifest, dependencies: { ...manifest.dependencies, 'm3ter-config': local } },
      null,
      2,
    ),
  );
  execFileSync(
    'npm',
    ['install', '--package-lock-only', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'],
    {
      cwd: project,
      stdio: 'ignore',
    },
  );
  const lock = JSON.parse(readFileSync(path.join(project, 'package-lock.json'), 'utf8')) as Lock;
  const root = lock.packages[''];
  const entry = lock.packages['node_modules/m3ter-config'];
  if (!root?.dependencies || !entry) throw new Error('npm recorded no m3ter-config');
  root.dependencies['m3ter-config'] = address;
  entry.resolved = address;
  delete entry.integrity;
  writeFileSync(path.join(TEMPLATE, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
