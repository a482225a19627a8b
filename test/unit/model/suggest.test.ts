import { describe, expect, it } from 'vitest';
import { parseArgv, UsageError } from '../../../src/cli/options.js';
import { closest, createSuggester, editDistance } from '../../../src/model/suggest.js';
import { validateConfigData } from '../../../src/schema/issues.js';

describe('the one "did you mean" rule', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('url', 'ulr')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('allows a third of the word, at least 1 and at most 3 edits, case-insensitively', () => {
    expect(closest('ulr', ['name', 'url'])).toBe('url');
    expect(closest('URL', ['url'])).toBe('url');
    expect(closest('url', ['url'])).toBeUndefined();
    expect(closest('xyz', ['url'])).toBeUndefined();
    // 18 characters, 4 edits: past the cap of 3.
    expect(closest('notification_ruxxx', ['notification_rule', 'webhook'])).toBe('notification_rule');
    expect(closest('notification_xxxxx', ['notification_rule'])).toBeUndefined();
  });

  it('falls back to the one candidate the word is a prefix of', () => {
    expect(closest('desc', ['name', 'description'])).toBe('description');
    expect(closest('de', ['description'])).toBeUndefined();
    expect(closest('auto', ['auto-approve', 'automatic'])).toBeUndefined();
  });

  it('a large set answers as a small one for a swap, an edit and a prefix', () => {
    const codes = Array.from({ length: 1_000 }, (_, i) => `rule_${i}`).concat(['description_of_everything']);
    const suggest = createSuggester(codes);
    for (const q of ['rlue_7', 'rule_7x', 'description_of', 'zzz', 'rule_1000', 'rule_'])
      expect(suggest(q)).toBe(closest(q, codes));
  });

  it('is the same for an unknown key in a file and an unknown option on the command line', () => {
    const issues = validateConfigData({
      webhooks: [
        {
          code: 'h',
          name: 'H',
          description: 'd',
          ulr: 'https://example.com',
          credentials: { apiKey: { env: 'K' }, secret: { env: 'S' } },
        },
      ],
    });
    expect(issues.find((i) => i.code === 'unknown_key')?.hint).toMatch(/^did you mean "url"\?/);
    const options = { url: { type: 'string', help: 'u' }, desc: { type: 'boolean', help: 'd' } } as const;
    expect(() => parseArgv(['--ulr', 'x'], options)).toThrow(
      new UsageError('unknown option --ulr; did you mean --url?'),
    );
  });
});
