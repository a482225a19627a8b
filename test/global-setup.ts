import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The end-to-end tests run the CLI as a user does (`node bin/m3ter-config.js`, which loads dist/), so dist/ is built
 * once from the current sources before any test runs, into an emptied dist/ (as `npm run build` does) so no file of
 * a deleted source lingers in it. Skipped when only other tests were asked for.
 */
export default function setup(): void {
  if (process.env['M3TER_CONFIG_SKIP_BUILD'] === '1') return;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
