import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';
import { escapeDollarBrace, unescapeDollarBrace } from '../../../src/model/literal-dollar.js';
import { seededRandom } from '../../unit/emit/hostile.js';

const ENV = { HOOK_KEY: 'k3y-never-shown', HOOK_SECRET: 's3cret-never-shown', X: 'x-value-never-sent' };

function webhook(description: string, extra = ''): string {
  return `webhooks:
  - code: hook
    name: "$\${name}"
    description: ${description}${extra}
    url: https://example.com/hook
    credentials:
      apiKey: { env: HOOK_KEY }
      secret: "\${env:HOOK_SECRET}"
integrations:
  - entityType: Bill
    destination: Webhook
    name: Int
    configData: { "k$\${": ["$\${env:X}", { n: "$$\${" }] }
`;
}

async function load(text: string) {
  return loadConfig([], { env: ENV, cwd: '/', documents: [{ file: 'm3ter.yaml', text }] });
}

describe('`$${` is a literal `${` in every string value', () => {
  it('reads $${ as ${ in every string value, one $ less per run, keys as written; ${ alone stays text', async () => {
    const loaded = await load(webhook(`"a $\${env:X} b $$\${ c \${env:X} d $ {e} $$ f"`));
    // The bare `${env:X}` in the description is text, with a warning at it that says to write `$${`.
    expect(loaded.issues.map((i) => [i.severity, i.code, i.pointer, i.line, i.col])).toEqual([
      ['warning', 'unescaped_dollar_brace', '/webhooks/0/description', 4, 18],
    ]);
    expect(loaded.issues[0]?.hint).toContain('$${');
    const hook = loaded.state?.resources.webhook.get('hook');
    expect(hook?.attributes).toMatchObject({
      name: '${name}',
      description: 'a ${env:X} b $${ c ${env:X} d $ {e} $$ f',
    });
    const integration = [...(loaded.state?.resources.integration.values() ?? [])][0];
    expect(integration?.attributes).toMatchObject({ configData: { 'k$${': ['${env:X}', { n: '$${' }] } });
    expect(JSON.stringify(loaded.state?.resources.webhook.get('hook')?.attributes)).not.toContain('x-value');
  });

  it('places issues at the columns of the file as written, before and after an escape', async () => {
    // A flow mapping on one line: the escapes before the bad value do not shift its column.
    const text = `webhooks:
  - { code: hook, name: "$\${a}$\${b}", description: "$$\${x}", url: 5, active: "$\${y}", credentials: { apiKey: { env: HOOK_KEY }, secret: { env: HOOK_SECRET } } }
`;
    const loaded = await load(text);
    const line = text.split('\n')[1] as string;
    const at = (needle: string) => line.indexOf(needle) + 1;
    const issues = loaded.issues.map((i) => [i.pointer, i.line, i.col]);
    expect(issues).toContainEqual(['/webhooks/0/url', 2, at('5,')]);
    expect(issues).toContainEqual(['/webhooks/0/active', 2, at('"$${y}"')]);
  });

  it('a secret field does not take $${env:NAME} as a reference (it is a literal, refused as one)', async () => {
    const loaded = await load(
      webhook('x').replace('secret: "${env:HOOK_SECRET}"', () => 'secret: "$${env:HOOK_SECRET}"'),
    );
    expect(loaded.state).toBeUndefined();
    expect(loaded.issues.map((i) => i.pointer)).toContain('/webhooks/0/credentials/secret');
    expect(JSON.stringify(loaded.issues)).not.toContain(ENV.HOOK_SECRET);
  });

  it('escape then unescape gives back every string (seeded runs of $, { and text)', () => {
    const random = seededRandom(2201);
    const pieces = ['$', '{', '$$', '${', '$${', '}', 'x', 'env:', '%{'];
    for (let n = 0; n < 2000; n++) {
      let s = '';
      for (let i = Math.floor(random() * 8); i > 0; i--) s += pieces[Math.floor(random() * pieces.length)];
      const written = escapeDollarBrace(s);
      expect(unescapeDollarBrace(written)).toBe(s);
      // The written form holds no `${` that is not preceded by a `$`: nothing reads as a reference.
      expect(written).not.toMatch(/(?<!\$)\$\{/);
    }
  });
});
