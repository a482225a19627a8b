import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICKSTART, QUICKSTART_ENV, QUICKSTART_SECRETS, ROOT, runCli, tempDir } from './run-cli.js';

const GOLDEN = path.join(ROOT, 'test/golden/graph');
const HOSTILE = path.join(ROOT, 'test/fixtures/graph-hostile');
const golden = (name: string): string => readFileSync(path.join(GOLDEN, name), 'utf8');

function expectNoSecrets(...outputs: string[]): void {
  for (const out of outputs) for (const secret of QUICKSTART_SECRETS) expect(out).not.toContain(secret);
}

describe('m3ter-config graph, offline', () => {
  it('prints the quickstart as Mermaid (the golden, which Mermaid parses) and as DOT, with no target', async () => {
    const mermaid = await runCli(['graph', QUICKSTART], { cwd: ROOT });
    expect(mermaid.stderr).toBe('');
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toBe(golden('quickstart.mmd'));
    const dot = await runCli(['graph', QUICKSTART, '--format', 'dot'], { cwd: ROOT });
    expect(dot.code).toBe(0);
    expect(dot.stdout).toBe(golden('quickstart.dot'));
  });

  it('draws an SVG in-process', async () => {
    const svg = await runCli(['graph', QUICKSTART, '-f', 'svg'], { cwd: ROOT });
    expect(svg.code).toBe(0);
    expect(svg.stdout).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*quickstart_receiver[\s\S]*<\/svg>\n$/);
  });

  it('hostile names with their secrets set: the golden picture, and no secret printed', async () => {
    const r = await runCli(['graph', HOSTILE, '--env-file', path.join(HOSTILE, 'hostile.env')], {
      cwd: ROOT,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('hostile.mmd'));
    expect(r.stdout + r.stderr).not.toMatch(/SECRET[123]/);
  });

  it('--focus draws one entity and its neighbours; a wrong key is a usage error with a suggestion', async () => {
    const r = await runCli(['graph', QUICKSTART, '--focus', 'bill_created'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bill_created-#62;quickstart_receiver');
    expect(r.stdout).not.toContain('commitment_under_10_percent');
    const wrong = await runCli(['graph', QUICKSTART, '--focus', 'bill_creatd'], { cwd: ROOT });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('did you mean --focus bill_created?');
    const changed = await runCli(['graph', QUICKSTART, '--changed-only'], { cwd: ROOT });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('--changed-only needs --plan');
  });
});

describe('m3ter-config graph --plan and plan --format markdown, against the embedded emulator', () => {
  it('marks the changes; the PR comment embeds them; a saved plan is drawn with no secret set', async () => {
    const cwd = tempDir();
    cpSync(QUICKSTART, path.join(cwd, 'quickstart'), { recursive: true });
    const common = ['quickstart', '--env-file', QUICKSTART_ENV];
    expect((await runCli(['apply', ...common, '--auto-approve'], { cwd })).code).toBe(0);
    const file = path.join(cwd, 'quickstart/m3ter.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('  - rule: bill_created\n    webhook: quickstart_receiver\n', '')
        .replace('Fires on every new bill', 'Fires on every new bill, reviewed'),
    );

    const md = await runCli(['plan', ...common, '--format', 'markdown', '--out', 'plan.json'], { cwd });
    expect(md.code).toBe(0);
    const block = /```mermaid\n([\s\S]*?)```/.exec(md.stdout)?.[1];
    // The golden is parsed by Mermaid in test/unit/render/graph-parsers.test.ts.
    await expect(block).toMatchFileSnapshot('../golden/graph/quickstart-change.mmd');
    expect(block).toContain('"~ bill_created<br/>Bill created"');
    expect(block).toContain('"- bill_created-#62;quickstart_receiver"');

    const marked = await runCli(['graph', ...common, '--plan', '--changed-only'], { cwd });
    expect(marked.code).toBe(0);
    // The rule loses its only link; the webhook keeps the other one.
    expect(marked.stdout).toContain('"~ bill_created<br/>Bill created<br/>! loses its last connection"');
    expect(marked.stdout).toContain('"quickstart_receiver<br/>Quickstart receiver"');
    expect(marked.stdout).toMatch(/n\d+ -\.->\|"-"\| n\d+/);

    // Offline, from the saved plan: no target, no secret needed.
    const saved = await runCli(['graph', '--plan', 'plan.json', '--format', 'dot'], { cwd });
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('label="- bill_created->quickstart_receiver"');
    expectNoSecrets(md.stdout, md.stderr, marked.stdout, marked.stderr, saved.stdout);
  });
});
