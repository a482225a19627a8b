import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';
import { applyAndConverge, type Org, startOrg } from '../../helpers/converge.js';

/** Every folder under examples/ is applied to a fresh emulator with its own env file, and then plans empty. */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = readdirSync(path.join(REPO, 'examples'), { withFileTypes: true })
  // examples/cdktf is a TypeScript stack: synthesized, applied and compared with the quickstart in test/e2e/cdktf.test.ts.
  .filter((e) => e.isDirectory() && e.name !== 'cdktf')
  .map((e) => e.name)
  .sort();

const WITH_INTEGRATIONS = new Set(['integrations', 'gitops']);

/** Examples that declare environments, with the folder to load: each environment is applied to its own org. */
const ENVIRONMENTS: Record<string, { path: string; names: string[] }> = {
  environments: { path: 'm3ter', names: ['sandbox', 'production'] },
};

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('examples apply and converge', () => {
  it('there are examples to apply', () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
  });

  const runs = EXAMPLES.flatMap((name) =>
    (ENVIRONMENTS[name]?.names ?? [undefined]).map((environment) => ({ name, environment })),
  );
  for (const { name, environment } of runs) {
    it(`examples/${name}${environment ? ` --env ${environment}` : ''}`, async () => {
      const dir = path.join('examples', name);
      const envFiles = readdirSync(path.join(REPO, dir))
        .filter((f) => f.endsWith('.env'))
        .map((f) => path.join(dir, f));
      const paths = [ENVIRONMENTS[name] ? path.join(dir, ENVIRONMENTS[name].path) : dir];
      const loaded = await loadConfig(paths, {
        env: {},
        cwd: REPO,
        envFiles,
        ...(environment ? { environment } : {}),
      });
      if (environment) expect(loaded.state?.environment?.name).toBe(environment);
      expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
      org = await startOrg();
      const { first, result } = await applyAndConverge(org.client, loaded.state!);
      expect(first.changes.length).toBeGreaterThan(0);
      expect(result.applied).toHaveLength(first.changes.length);
      // The integrations and gitops examples declare integrations; each is created after the credential it references.
      const order = result.applied.map((o) => `${o.kind} ${o.key}`);
      const integrations = [...loaded.state!.resources.integration.values()];
      if (WITH_INTEGRATIONS.has(name)) expect(integrations.length).toBeGreaterThan(0);
      for (const i of integrations) {
        const at = order.indexOf(`integration ${i.key}`);
        expect(at).toBeGreaterThanOrEqual(0);
        if (i.attributes.credential !== null)
          expect(order.indexOf(`credential ${i.attributes.credential}`)).toBeLessThan(at);
      }
    });
  }
});
