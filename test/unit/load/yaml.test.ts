import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/load/yaml.js';

function aliasDocument(n: number): string {
  const out = ['webhooks:'];
  for (let i = 0; i < n; i++)
    out.push(`  - code: w${i}`, `    description: &d${i} 'desc ${i}'`, `    name: *d${i}`);
  return out.join('\n');
}

describe('parseYaml: aliases', () => {
  // Quadratic alias checking took 35 s for 2,000 aliases; 20,000 would take about an hour. Linear takes well under
  // a second, so the test timeout is the bound.
  it('checks and expands 20,000 aliases in linear time', { timeout: 10_000 }, () => {
    const r = parseYaml('big.yaml', aliasDocument(20_000));
    expect(r.issues).toEqual([]);
    const hooks = (r.data as { webhooks: { name: string; description: string }[] }).webhooks;
    expect(hooks).toHaveLength(20_000);
    expect(hooks[19_999]).toEqual({ code: 'w19999', description: 'desc 19999', name: 'desc 19999' });
  });

  it('an alias names the last anchor of that name before it', () => {
    const r = parseYaml('a.yaml', 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
    expect(r.data).toEqual({ a: 1, b: 1, c: 2, d: 2 });
  });

  it('refuses a "billion laughs" document with a positioned issue', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const r = parseYaml('laughs.yaml', lines.join('\n'));
    expect(r.data).toBeNull();
    const issue = r.issues.find((i) => i.code === 'yaml_alias_limit');
    expect(issue).toMatchObject({ severity: 'error', file: 'laughs.yaml' });
    expect(issue?.line).toBeGreaterThan(1);
  });

  it('refuses an alias inside the node it names, and one with no anchor before it', () => {
    const self = parseYaml('self.yaml', 'a: &x\n  b: *x\n');
    expect(self.issues[0]).toMatchObject({ code: 'yaml_syntax', line: 2, col: 6 });
    expect(self.issues[0]?.message).toContain('inside the node it names');
    const none = parseYaml('none.yaml', 'a: *y\nb: &y 1\n');
    expect(none.issues[0]).toMatchObject({ code: 'yaml_syntax', line: 1, col: 4 });
  });

  it('keeps a __proto__ key as data', () => {
    const r = parseYaml('p.yaml', '__proto__: { polluted: true }\n');
    expect(Object.keys(r.data as object)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
