import { describe, expect, it } from 'vitest';
import { CONFIG_SECTION, KIND_LABEL } from '../../../src/kinds/index.js';
import { KINDS } from '../../../src/model/kinds.js';
import { describePointer } from '../../../src/schema/pointer.js';
import { validateConfigData } from '../../../src/schema/issues.js';

describe('describePointer', () => {
  it('names an item of every section by its kind label from the registry', () => {
    for (const kind of KINDS) expect(describePointer(`/${CONFIG_SECTION[kind]}/0`)).toBe(KIND_LABEL[kind]);
    expect(describePointer('/integrations/3')).toBe('integration');
  });

  it('names the file, an ignore entry, a field, and an item of an unknown section', () => {
    expect(describePointer('')).toBe('the file');
    expect(describePointer('/ignore/0')).toBe('ignore entry');
    expect(describePointer('/webhooks/0/url')).toBe('url');
    expect(describePointer('/bogus/0')).toBe('item');
  });
});

describe('an unknown key', () => {
  it('is reported in an integration by its label', () => {
    const issues = validateConfigData({
      integrations: [{ entityType: 'Bill', destination: 'Stripe', bogus: 1 }],
    });
    expect(issues.map((i) => i.message)).toEqual(['unknown key "bogus" in integration']);
  });
});
