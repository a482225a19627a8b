import { describe, expect, it } from 'vitest';
import type { ApplyResult, ChangeOutcome } from '../../../src/apply/result.js';
import { describeError } from '../../../src/cli/exit-codes.js';
import { ApiError, type Issue } from '../../../src/model/errors.js';
import { createPlan } from '../../../src/plan/index.js';
import { renderApplyEvent, renderApplyResult } from '../../../src/render/apply.js';
import { escapeText } from '../../../src/render/escape.js';
import { renderIssues } from '../../../src/render/issues.js';
import { renderPlan } from '../../../src/render/plan.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';

// Right-to-left override, isolates, marks, C0 (ESC, BEL, CR), DEL and a C1 control (CSI).
const HOSTILE = 'evil\u202Egnp.exe\u2066x\u2069\u200E\u200F\u001b[31m\u0007\r\u007F\u009B';
const RAW = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

function hostilePlan() {
  const desired = desiredState([
    d.webhook(`w${HOSTILE}`, { description: HOSTILE }),
    d.rule('r', { description: `new ${HOSTILE}` }),
  ]);
  const live = liveState([l.rule('r', {}, { id: 'uuid-r', version: 1 })]);
  return createPlan(desired, live, options());
}

describe('escapeText', () => {
  it('shows each control and bidi character as \\uXXXX and keeps newlines unless told not to', () => {
    expect(escapeText('a\u202Eb\nc\td')).toBe('a\\u202Eb\nc\\u0009d');
    expect(escapeText('a\nb', { newlines: false })).toBe('a\\u000Ab');
    expect(escapeText('plain → 🚀 café')).toBe('plain → 🚀 café');
  });

  it('shows the zero-width characters that make two keys look alike', () => {
    expect(escapeText('o\u200Bp\u200Cs\u200D\u2060\uFEFF')).toBe('o\\u200Bp\\u200Cs\\u200D\\u2060\\uFEFF');
  });
});

describe('every human output escapes control and bidi characters', () => {
  it('text and Markdown plans', () => {
    const plan = hostilePlan();
    for (const format of ['text', 'markdown'] as const) {
      const out = renderPlan(plan, { format, color: false });
      expect(out, format).not.toMatch(RAW);
      expect(out, format).toContain('\\u202E');
    }
    // Colour codes of our own still get through.
    expect(renderPlan(plan, { format: 'text', color: true })).toContain('\u001b[');
  });

  it('apply progress and results', () => {
    const outcome: ChangeOutcome = {
      kind: 'webhook',
      key: `w${HOSTILE}`,
      action: 'create',
      status: 'failed',
      durationMs: 5,
      error: { code: 'api_bad_request', message: `bad ${HOSTILE}` },
    };
    const line = renderApplyEvent(
      {
        type: 'failed',
        kind: 'webhook',
        key: outcome.key,
        action: 'create',
        outcome,
        completed: 1,
        total: 1,
      } as never,
      {
        color: false,
      },
    );
    expect(line).not.toMatch(RAW);
    expect(line).toContain('\\u202E');
    const result: ApplyResult = {
      status: 'failed',
      applied: [],
      failed: [outcome],
      notAttempted: hostilePlan().changes,
      durationMs: 1,
      requests: 1,
      retries: 0,
      rateLimited: 0,
    };
    expect(renderApplyResult(result, { format: 'text', color: false })).not.toMatch(RAW);
  });

  it('validate issues and errors', () => {
    const issue: Issue = {
      severity: 'error',
      code: 'x',
      file: `a${HOSTILE}.yaml`,
      line: 1,
      col: 1,
      pointer: `/webhooks/0/${HOSTILE}`,
      message: `bad ${HOSTILE}`,
      hint: HOSTILE,
    };
    expect(renderIssues([issue], { format: 'text', color: true }).replace(/\u001b\[\d+m/g, '')).not.toMatch(
      RAW,
    );
    const err = new ApiError(400, `PUT /x failed with HTTP 400: ${HOSTILE}`, { method: 'PUT', path: '/x' });
    expect(describeError(err)).not.toMatch(RAW);
    expect(describeError(new Error(HOSTILE))).not.toMatch(RAW);
  });
});
