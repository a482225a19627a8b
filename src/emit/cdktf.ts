import { CONFIG_SECTION, labelOf } from '../kinds/index.js';
import type { ImportedEntity, ImportedModel } from './imported.js';
import { terraformVariableNames } from './tf-variables.js';
import { constructId, tsCommentText, tsKey, tsString, tsValue } from './ts-text.js';
import { type StackContext, STACK_KINDS, writtenKeyOf } from './stack-kinds.js';
import type { ImportWriter, WrittenFile } from './writer.js';

/**
 * The CDKTF / CDK Terrain writer of the imported model: `main.ts`, a stack of m3ter-config's constructs (Webhook,
 * NotificationRule with notify, Credential, Integration) whose synth output plans as the YAML would, and a
 * `cdktf.json` to run it. Every user string is a literal (ts-text.ts); construct ids are made from keys, never code;
 * variables in the code are numbered. Secrets are `sensitiveVariable(stack, name)`, read from `TF_VAR_<name>`.
 *
 * Entities that could not be written go into an `Ignore` construct, one pattern each with why as a comment, so that a
 * plan of the synth output leaves them alone, as under the YAML's `ignore`.
 */

export type StackCore = 'cdktf' | 'cdktn';

/** The Terraform variable each secret of the model becomes (its value is TF_VAR_<variable>), one per variable. */
export function stackVariablesOf(model: ImportedModel): Map<string, string> {
  return terraformVariableNames(model.secrets.map((s) => s.env));
}

export function stackWriter(core: StackCore): ImportWriter {
  return (model, options) => {
    const ids = new Set<string>(['m3ter', 'ignore']);
    const lines: string[] = [];
    const header = [
      ...options.header,
      `Run it: npx tsx main.ts (or: npx ${core} synth), then: npx m3ter-config plan cdktf.out/stacks/${options.baseName}`,
      `Secrets are Terraform variables: set TF_VAR_<name> for each (${options.baseName}.env.template lists them).`,
    ];
    lines.push('/**', ...header.map((h) => ` * ${tsCommentText(h)}`), ' */');
    const used = model.kinds.filter((k) => model.entities[k].length > 0);
    const names = [
      'M3terProvider',
      ...[
        ...used.flatMap((k) => STACK_KINDS[k].construct ?? []),
        ...(model.problems.length > 0 ? ['Ignore'] : []),
        ...(model.secrets.length > 0 ? ['sensitiveVariable'] : []),
      ].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
    ];
    lines.push(
      `import { App, TerraformStack } from ${tsString(core)};`,
      `import { ${names.join(', ')} } from ${tsString(`m3ter-config/${core}`)};`,
      '',
      'const app = new App();',
      `const stack = new TerraformStack(app, ${tsString(options.baseName)});`,
      `new M3terProvider(stack, "m3ter");`,
    );

    const variables = stackVariablesOf(model);
    const secretOf = (e: ImportedEntity, field: string): string => {
      const s = model.secrets.find((x) => x.kind === e.kind && x.key === e.key && x.field === field);
      if (!s) throw new Error(`import: no variable for ${labelOf(e.kind, e.key)} ${field}`);
      return `sensitiveVariable(stack, ${tsString(variables.get(s.env) ?? s.env.toLowerCase())}, ${tsString(`${labelOf(e.kind, e.key)}: ${field}`)})`;
    };
    const props = (fields: [string, string][], indent: number): string =>
      `{\n${fields.map(([k, v]) => `${' '.repeat(indent + 2)}${tsKey(k)}: ${v},`).join('\n')}\n${' '.repeat(indent)}}`;

    const vars = new Map<string, string>();
    let n = 0;
    for (const kind of used) {
      lines.push('', `// ${CONFIG_SECTION[kind]}`);
      for (const e of model.entities[kind]) {
        const ctx: StackContext = {
          id: tsString(constructId(STACK_KINDS[kind].prefix, e.key, ids)),
          declare(prefix) {
            const v = `${prefix}${++n}`;
            vars.set(`${kind}\u0000${writtenKeyOf(e)}`, v);
            return v;
          },
          variableOf: (k, written) => vars.get(`${k}\u0000${written}`),
          secretOf: (field) => secretOf(e, field),
          props,
          literal: (skip) =>
            Object.entries(e.entry)
              .filter(([k]) => !skip.includes(k))
              .map(([k, v]) => [k, tsValue(v, 2)]),
        };
        lines.push(STACK_KINDS[kind].write(e, ctx));
      }
    }
    const unmanaged = used.length < model.kinds.length;
    if (unmanaged)
      lines.push(
        '',
        `// Imported with no entities (a stack manages a kind only when it declares one): ${model.kinds
          .filter((k) => !used.includes(k))
          .map((k) => CONFIG_SECTION[k])
          .join(', ')}.`,
      );
    if (model.problems.length > 0) {
      lines.push(
        '',
        '// Live entities that could not be written (see the import report); left alone until you decide.',
        'new Ignore(stack, "ignore", {',
      );
      for (const kind of model.kinds.filter((k) => model.ignore[k].length > 0)) {
        lines.push(`  ${tsKey(CONFIG_SECTION[kind])}: [`);
        for (const p of model.problems.filter((x) => x.kind === kind))
          lines.push(
            `    ${tsString(p.ignore)}, // ${tsCommentText(`${p.code}: ${labelOf(p.kind, p.key)}, id ${p.id}`)}`,
          );
        lines.push('  ],');
      }
      lines.push('});');
    }
    lines.push('', 'app.synth();');
    const cdktfJson = {
      language: 'typescript',
      app: 'npx tsx main.ts',
      output: 'cdktf.out',
      sendCrashReports: 'false',
      terraformProviders: [],
      terraformModules: [],
      context: {},
    };
    return [
      { path: 'main.ts', text: `${lines.join('\n')}\n` },
      { path: 'cdktf.json', text: `${JSON.stringify(cdktfJson, null, 2)}\n` },
    ] satisfies WrittenFile[];
  };
}
