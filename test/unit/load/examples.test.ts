import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findConfigFiles } from '../../../src/load/files.js';
import { loadConfig } from '../../../src/load/load-config.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('examples/', () => {
  it('every YAML file names the root schema by a relative path that exists', async () => {
    const { files } = await findConfigFiles(['examples'], REPO);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const first = (await readFile(f.abs, 'utf8')).split('\n')[0] ?? '';
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, f.file).not.toBeNull();
      // Files that use vars name the editor schema, which takes them (the loader replaces vars before its own check).
      const schema = f.file.startsWith('examples/environments/')
        ? 'schemas/editor-m3ter-config.schema.json'
        : 'schemas/m3ter-config.schema.json';
      expect(path.resolve(path.dirname(f.abs), m![1]!), f.file).toBe(path.join(REPO, schema));
    }
  });

  it('quickstart: one webhook, two rules, two links, and nothing that rests on an unconfirmed endpoint', async () => {
    const r = await loadConfig(['examples/quickstart'], {
      env: {},
      cwd: REPO,
      envFiles: ['examples/quickstart/quickstart.env'],
    });
    expect(r.issues).toEqual([]);
    const s = r.state!;
    expect([
      s.resources.webhook.size,
      s.resources.notificationRule.size,
      s.resources.link.size,
      s.resources.credential.size,
      s.resources.integration.size,
    ]).toEqual([1, 2, 2, 0, 0]);
    // Only what m3ter documents: managing credentials or integrations reads the credentials path, a guess.
    expect([...s.managedKinds].sort()).toEqual(['link', 'notificationRule', 'webhook']);
  });

  it('integrations: one credential and one integration, with its env file', async () => {
    const r = await loadConfig(['examples/integrations'], {
      env: {},
      cwd: REPO,
      envFiles: ['examples/integrations/integrations.env'],
    });
    expect(r.issues).toEqual([]);
    const s = r.state!;
    expect([...s.managedKinds].sort()).toEqual(['credential', 'integration']);
    expect(s.resources.integration.get('Bill->Stripe')?.attributes).toEqual({
      entityType: 'Bill',
      destination: 'Stripe',
      name: null,
      credential: 'STRIPE/quickstart-stripe',
      configData: { syncOnApproval: true },
      active: true,
    });
  });

  it('gitops: several teams in several files, with an ignore list', async () => {
    const r = await loadConfig(['examples/gitops'], {
      env: {},
      cwd: REPO,
      envFiles: ['examples/gitops/gitops.env'],
    });
    expect(r.issues).toEqual([]);
    expect(r.files.length).toBeGreaterThanOrEqual(4);
    expect(new Set(r.files.map((f) => f.split('/')[3])).size).toBeGreaterThanOrEqual(3);
    expect(r.state!.ignore.webhook.length).toBeGreaterThan(0);
    expect([...r.state!.resources.integration.keys()]).toEqual([
      'Account->NetSuite',
      'Account->NetSuite/sandbox',
    ]);
    expect(r.state!.ignore.integration).toEqual(['*->Xero*']);
  });

  it('both together, with no variables set, have no errors (missing variables are warnings)', async () => {
    const r = await loadConfig(['examples/quickstart', 'examples/gitops'], {
      env: {},
      cwd: REPO,
      missingEnv: 'warning',
    });
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(new Set(r.issues.map((i) => i.code))).toEqual(new Set(['missing_env']));
  });
});
