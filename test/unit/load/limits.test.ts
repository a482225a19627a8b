import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-limits-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(yaml: string) {
  await writeFile(path.join(dir, 'm3ter.yaml'), yaml);
  return loadConfig([dir], { env: { K: 'key-value', S: 'secret-value' }, cwd: dir });
}

const x = (n: number) => 'x'.repeat(n);

function config(o: { code?: string; name?: string; description?: string; url?: string; calc?: string }) {
  return `webhooks:
  - code: ${o.code ?? 'w'}
    name: ${o.name ?? 'W'}
    description: ${o.description ?? 'd'}
    url: ${o.url ?? 'https://example.com/h'}
    credentials: { apiKey: { env: K }, secret: { env: S } }
notificationRules:
  - code: r
    name: R
    description: d
    eventName: billing.bill.created
    calculation: ${o.calc ?? 'new.amount > 1'}
`;
}

describe('string length limits', () => {
  it('accept values at the limit', async () => {
    const r = await load(
      config({
        code: x(200),
        name: x(200),
        description: x(1000),
        url: `https://example.com/${x(2048 - 20)}`,
        calc: `new.amount > ${'1'.repeat(10_000 - 13)}`,
      }),
    );
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('refuse each value over its limit with a positioned error that names the limit', async () => {
    const r = await load(
      config({
        code: x(201),
        name: x(201),
        description: x(1001),
        url: `https://example.com/${x(2048 - 19)}`,
        calc: `new.amount > ${'1'.repeat(10_000 - 12)}`,
      }),
    );
    expect(r.issues.map((i) => [i.code, i.line, i.col, i.pointer])).toEqual([
      ['too_long', 2, 11, '/webhooks/0/code'],
      ['too_long', 3, 11, '/webhooks/0/name'],
      ['too_long', 4, 18, '/webhooks/0/description'],
      ['too_long', 5, 10, '/webhooks/0/url'],
      ['too_long', 12, 18, '/notificationRules/0/calculation'],
    ]);
    expect(r.issues[2]?.message).toMatch(/is 1,001 characters long; the limit is 1,000$/);
    expect(r.issues[2]?.hint).toContain('README');
    expect(r.state).toBeUndefined();
  });

  it('a 20 MB description is one short issue, not echoed', async () => {
    const r = await load(config({ description: x(20_000_000) }));
    expect(r.issues.map((i) => i.code)).toEqual(['too_long']);
    expect(JSON.stringify(r.issues).length).toBeLessThan(2_000);
  });

  it('a secret value over 10,000 characters is an error at its reference, never echoed', async () => {
    await writeFile(path.join(dir, 'm3ter.yaml'), config({}));
    const r = await loadConfig([dir], { env: { K: 'k'.repeat(10_001), S: 'secret-value' }, cwd: dir });
    expect(r.issues.map((i) => [i.code, i.line, i.pointer])).toEqual([
      ['too_long', 6, '/webhooks/0/credentials/apiKey'],
    ]);
    expect(JSON.stringify(r.issues)).not.toContain('kkkk');
  });
});
