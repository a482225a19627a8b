import { describe, expect, it } from 'vitest';
import type { Issue } from '../../../src/model/errors.js';
import { renderIssues } from '../../../src/render/issues.js';

const ISSUES: Issue[] = [
  {
    severity: 'error',
    code: 'literal_secret',
    file: 'm3ter.yaml',
    line: 8,
    col: 15,
    pointer: '/webhooks/0/credentials/secret',
    message: 'secret holds a literal secret',
    hint: 'write `secret: { env: ORDERS_WEBHOOK_SECRET }`',
  },
  {
    severity: 'warning',
    code: 'insecure_url',
    file: 'm3ter.yaml',
    line: 5,
    col: 10,
    pointer: '/webhooks/0/url',
    message: 'http://x uses plain http',
  },
  {
    severity: 'error',
    code: 'path_not_found',
    file: 'nope',
    line: 0,
    col: 0,
    pointer: '',
    message: 'no such file or directory',
  },
  {
    severity: 'error',
    code: 'wrong_type',
    file: 'a.yaml',
    line: 1,
    col: 1,
    pointer: '',
    message: 'the file must be a mapping',
  },
];

describe('renderIssues', () => {
  it('text: file:line:col pointer: message, hint lines, and a count line', () => {
    expect(renderIssues(ISSUES, { format: 'text', color: false })).toBe(
      [
        'm3ter.yaml:8:15 /webhooks/0/credentials/secret: secret holds a literal secret [literal_secret]',
        '  hint: write `secret: { env: ORDERS_WEBHOOK_SECRET }`',
        'm3ter.yaml:5:10 /webhooks/0/url: warning: http://x uses plain http [insecure_url]',
        'nope: no such file or directory [path_not_found]',
        'a.yaml:1:1: the file must be a mapping [wrong_type]',
        '3 errors, 1 warning',
        '',
      ].join('\n'),
    );
  });

  it('text with no issues still ends with the count line', () => {
    expect(renderIssues([], { format: 'text', color: false })).toBe('0 errors, 0 warnings\n');
  });

  it('colour only when asked', () => {
    expect(renderIssues(ISSUES, { format: 'text', color: true })).toContain('\u001b[31m');
    expect(renderIssues(ISSUES, { format: 'text', color: false })).not.toContain('\u001b[');
  });

  it('json: stable key order, hint null when absent, summary', () => {
    const out = renderIssues(ISSUES.slice(1, 2), { format: 'json', color: true });
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out)).toEqual({
      issues: [
        {
          severity: 'warning',
          code: 'insecure_url',
          file: 'm3ter.yaml',
          line: 5,
          col: 10,
          pointer: '/webhooks/0/url',
          message: 'http://x uses plain http',
          hint: null,
        },
      ],
      summary: { errors: 0, warnings: 1 },
    });
    expect(Object.keys(JSON.parse(out).issues[0])).toEqual([
      'severity',
      'code',
      'file',
      'line',
      'col',
      'pointer',
      'message',
      'hint',
    ]);
    expect(out).not.toContain('\u001b[');
  });
});
