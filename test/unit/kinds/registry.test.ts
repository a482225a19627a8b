import { describe, expect, it } from 'vitest';
import {
  CONFIG_SECTION,
  KIND_SPECS,
  KINDS_BOTTOM_UP,
  KINDS_TOP_DOWN,
  kindsToRead,
  LEVEL,
  REFERENCES,
  referrersOf,
  withReferencedKinds,
} from '../../../src/kinds/index.js';
import { KINDS } from '../../../src/model/kinds.js';
import { adapters } from '../../../src/live/adapters.js';

describe('the kind registry', () => {
  it('describes every kind once, in every table', () => {
    for (const kind of KINDS) {
      expect(KIND_SPECS[kind].kind).toBe(kind);
      expect(LEVEL[kind]).toBeTypeOf('number');
      expect(REFERENCES[kind]).toBeDefined();
      expect(adapters[kind].kind).toBe(kind);
    }
    expect(new Set(KINDS.map((k) => CONFIG_SECTION[k])).size).toBe(KINDS.length);
  });

  it('places every referenced kind at a lower level, so creates and deletes can be ordered', () => {
    for (const kind of KINDS) {
      for (const ref of REFERENCES[kind]) {
        expect(LEVEL[ref.kind], `${kind}.${ref.attribute} -> ${ref.kind}`).toBeLessThan(LEVEL[kind]);
        expect(KIND_SPECS[kind].fieldOrder as readonly string[]).toContain(ref.attribute);
      }
    }
    const top = KINDS_TOP_DOWN.map((k) => LEVEL[k]);
    expect(top).toEqual([...top].sort((a, b) => a - b));
    expect(KINDS_BOTTOM_UP).toEqual([...KINDS_TOP_DOWN].reverse());
  });

  it('derives who references what: links reference rules and webhooks, integrations credentials', () => {
    expect(referrersOf('webhook').map((r) => [r.kind, r.ref.attribute])).toEqual([['link', 'webhook']]);
    expect(referrersOf('notificationRule').map((r) => [r.kind, r.ref.attribute])).toEqual([['link', 'rule']]);
    expect(referrersOf('credential').map((r) => [r.kind, r.ref.attribute])).toEqual([
      ['integration', 'credential'],
    ]);
    expect(referrersOf('link')).toEqual([]);
  });

  it('reads what a plan needs: the referencing kinds of a managed kind, and what they reference', () => {
    expect([...withReferencedKinds(['link'])].sort()).toEqual(['link', 'notificationRule', 'webhook']);
    expect([...kindsToRead(['webhook'])].sort()).toEqual(['link', 'notificationRule', 'webhook']);
    expect([...kindsToRead(['credential'])].sort()).toEqual(['credential', 'integration']);
    expect([...kindsToRead(['notificationRule'])].sort()).toEqual(['link', 'notificationRule', 'webhook']);
  });
});
