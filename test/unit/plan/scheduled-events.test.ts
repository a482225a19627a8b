import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { createPlan } from '../../../src/plan/index.js';
import { unknownKeyReferences } from '../../../src/workflow/plan.js';
import { d, desiredState, l, liveState, options } from './builders.js';

/** Scheduled events in a plan: ordering and safety follow from the rule's reference by key. */

const steps = (p: Plan) => p.changes.map((c) => `${c.type} ${c.kind} ${c.key}`);
const DUE = 'scheduled.bill.dueSoon';
const END = 'scheduled.bill.endDateEvent';

describe('plan: scheduled events', () => {
  it('creates a scheduled event before the rule on it, and deletes it after the rule leaving it', () => {
    const created = createPlan(
      desiredState([d.rule('due', { eventName: DUE }), d.scheduledEvent(DUE)], {
        managed: ['scheduledEvent', 'notificationRule'],
      }),
      liveState([], ['scheduledEvent', 'notificationRule']),
      options(),
    );
    expect(steps(created)).toEqual([`create scheduledEvent ${DUE}`, 'create notificationRule due']);

    const moved = createPlan(
      desiredState([d.rule('due', { eventName: END }), d.scheduledEvent(END)], {
        managed: ['scheduledEvent', 'notificationRule'],
      }),
      liveState(
        [l.rule('due', { eventName: DUE }), l.scheduledEvent(DUE)],
        ['scheduledEvent', 'notificationRule'],
      ),
      options(),
    );
    // The rule moves to the new event before the old one goes: the update frees it, so the delete is safe.
    expect(steps(moved)).toEqual([
      `create scheduledEvent ${END}`,
      'update notificationRule due',
      `delete scheduledEvent ${DUE}`,
    ]);
    expect(moved.unsafe).toEqual([]);
  });

  it('refuses deleting a scheduled event a live rule still listens to, as a linked webhook', () => {
    const p = createPlan(
      desiredState([], { managed: ['scheduledEvent'] }),
      liveState(
        [l.scheduledEvent(DUE), l.rule('due', { eventName: DUE }), l.rule('other')],
        ['scheduledEvent', 'notificationRule'],
      ),
      options(),
    );
    expect(steps(p)).toEqual([`delete scheduledEvent ${DUE}`]);
    expect(p.unsafe).toMatchObject([
      {
        rule: 'linked_delete',
        kind: 'scheduledEvent',
        message: `linked_delete: scheduled event "${DUE}" is planned for deletion, but live notification rule "due" not deleted by this plan still points at it.`,
        referencedBy: [{ kind: 'notificationRule', key: 'due' }],
      },
    ]);
  });

  it('a rule naming a scheduled event neither declared nor live is an error at the rule; others are not', () => {
    const desired = desiredState(
      [d.rule('due', { eventName: DUE }), d.rule('live', { eventName: END }), d.rule('plain')],
      { managed: ['notificationRule'] },
    );
    const issues = unknownKeyReferences(
      desired,
      liveState([l.scheduledEvent(END)], ['scheduledEvent', 'notificationRule']),
    );
    expect(issues).toMatchObject([
      {
        severity: 'error',
        code: 'unknown_reference',
        pointer: '/notificationRule/due/eventName',
        message: `notification rule "due" names scheduled event "${DUE}" in eventName, which neither the files declare nor m3ter holds`,
      },
    ]);
  });
});
