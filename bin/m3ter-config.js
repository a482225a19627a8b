#!/usr/bin/env node
// The published entry point: runs the compiled CLI (npm ci builds dist/ through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write('m3ter-config is not built: run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
await import(compiled.href);
