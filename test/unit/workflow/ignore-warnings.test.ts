import { describe, expect, it } from 'vitest';
import { unmatchedIgnoreWarnings } from '../../../src/workflow/plan.js';
import { d, desiredState, l, liveState } from '../plan/builders.js';

describe('unmatchedIgnoreWarnings', () => {
  it('warns only for patterns matching neither a live nor a declared key, in kinds that were read', () => {
    const desired = desiredState([d.rule('declared_1')], {
      ignore: {
        notificationRule: ['legacy_*', 'declared_?', 'typo_*', 'exact_live'],
        webhook: ['never'],
      },
    });
    const live = liveState([l.rule('legacy_old'), l.rule('exact_live')], ['notificationRule']);
    expect(unmatchedIgnoreWarnings(desired, live).map((w) => [w.code, w.severity, w.message])).toEqual([
      [
        'ignore_matches_nothing',
        'warning',
        'ignore pattern "typo_*" matches no live or declared notification rule',
      ],
    ]);
  });
});
