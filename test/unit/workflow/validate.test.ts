import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/workflow/validate.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('validate', () => {
  it('passes the examples with no variables set: missing variables are warnings', async () => {
    const r = await validate(['examples/quickstart', 'examples/gitops'], { env: {}, cwd: REPO });
    expect(r.errorCount).toBe(0);
    expect(r.warningCount).toBeGreaterThan(0);
    expect(r.state).toBeDefined();
    expect(r.files[0]).toBe('examples/quickstart/m3ter.yaml');
  });

  it('with requireEnv, a missing variable is an error and there is no state', async () => {
    const r = await validate(['examples/quickstart'], { env: {}, cwd: REPO, requireEnv: true });
    expect(r.errorCount).toBe(2);
    expect(r.issues.every((i) => i.code === 'missing_env' && i.severity === 'error')).toBe(true);
    expect(r.state).toBeUndefined();
  });

  it('reads env files', async () => {
    const r = await validate(['examples/quickstart'], {
      env: {},
      cwd: REPO,
      envFiles: ['examples/quickstart/quickstart.env'],
      requireEnv: true,
    });
    expect(r.issues).toEqual([]);
  });
});
