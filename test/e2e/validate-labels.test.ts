import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

describe('m3ter-config validate names the kind of the item holding an unknown key', () => {
  it('an integration as `integration`, a webhook as `webhook`', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'm3ter.yaml'),
      [
        'integrations:',
        '  - entityType: Bill',
        '    destination: Stripe',
        '    bogus: 1',
        'webhooks:',
        '  - code: hook',
        '    name: Hook',
        '    description: d',
        '    url: https://example.com/hook',
        '    bogus: 1',
        '    credentials: { apiKey: { env: K }, secret: { env: S } }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['validate', 'm3ter.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^m3ter\.yaml:4:5 \/integrations\/0\/bogus: unknown key "bogus" in integration \[unknown_key\]$/m,
    );
    expect(r.stderr).toMatch(
      /^m3ter\.yaml:10:5 \/webhooks\/0\/bogus: unknown key "bogus" in webhook \[unknown_key\]$/m,
    );
  });
});
