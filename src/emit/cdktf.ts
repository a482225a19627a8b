import { CONFIG_SECTION, labelOf } from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import { credentialReference } from './entries.js';
import { refuseUnsupportedKinds } from './unsupported.js';
import type { ImportedEntity, ImportedModel } from './imported.js';
import { terraformVariableNames } from './tf-variables.js';
import { constructId, tsCommentText, tsKey, tsString, tsValue } from './ts-text.js';
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

const PREFIX: Readonly<Record<Kind, string>> = {
  credential: 'credential',
  integration: 'integration',
  webhook: 'webhook',
  scheduledEvent: 'scheduled_event',
  notificationRule: 'rule',
  link: 'link',
};

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
    refuseUnsupportedKinds('stack', [...used, ...model.kinds.filter((k) => model.ignore[k].length > 0)]);
    const names = [
      'M3terProvider',
      ...(used.includes('credential') ? ['Credential'] : []),
      ...(model.problems.length > 0 ? ['Ignore'] : []),
      ...(used.includes('integration') ? ['Integration'] : []),
      ...(used.includes('notificationRule') ? ['NotificationRule'] : []),
      ...(model.secrets.length > 0 ? ['sensitiveVariable'] : []),
      ...(used.includes('webhook') ? ['Webhook'] : []),
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
    const isEnv = (v: Json | undefined): boolean =>
      !!v && typeof v === 'object' && !Array.isArray(v) && typeof v['env'] === 'string';
    const props = (fields: [string, string][], indent: number): string =>
      `{\n${fields.map(([k, v]) => `${' '.repeat(indent + 2)}${tsKey(k)}: ${v},`).join('\n')}\n${' '.repeat(indent)}}`;
    const literal = (e: ImportedEntity, skip: readonly string[]): [string, string][] =>
      Object.entries(e.entry)
        .filter(([k]) => !skip.includes(k))
        .map(([k, v]) => [k, tsValue(v, 2)]);

    const codeVar = new Map<string, string>();
    const credVar = new Map<string, string>();
    let n = 0;
    for (const kind of used) {
      lines.push('', `// ${CONFIG_SECTION[kind]}`);
      for (const e of model.entities[kind]) {
        const id = tsString(constructId(PREFIX[kind], e.key, ids));
        if (kind === 'webhook') {
          const v = `webhook${++n}`;
          codeVar.set(`webhook\u0000${e.key}`, v);
          const creds = (e.entry['credentials'] ?? {}) as Record<string, Json>;
          if (creds['type'] !== undefined && creds['type'] !== 'M3TER_SIGNED_REQUEST')
            throw new Error(
              `import: ${labelOf(kind, e.key)} has credentials of type ${String(creds['type'])}`,
            );
          const fields = literal(e, ['credentials']);
          fields.push(['apiKey', secretOf(e, 'apiKey')], ['secret', secretOf(e, 'secret')]);
          lines.push(`const ${v} = new Webhook(stack, ${id}, ${props(fields, 0)});`);
        } else if (kind === 'notificationRule') {
          const v = `rule${++n}`;
          codeVar.set(`rule\u0000${e.key}`, v);
          lines.push(`const ${v} = new NotificationRule(stack, ${id}, ${props(literal(e, []), 0)});`);
        } else if (kind === 'link') {
          const rule = codeVar.get(`rule\u0000${String(e.entry['rule'])}`);
          const webhook = codeVar.get(`webhook\u0000${String(e.entry['webhook'])}`);
          if (!rule || !webhook)
            throw new Error(`import: ${labelOf(kind, e.key)} names a rule or webhook not in the stack`);
          const opts = e.entry['active'] === false ? ', { active: false }' : '';
          lines.push(`${rule}.notify(${webhook}${opts});`);
        } else if (kind === 'credential') {
          const v = `credential${++n}`;
          credVar.set(credentialReference(e.key), v);
          const fields = Object.entries(e.entry)
            .filter(([k]) => !['name', 'destination', 'type'].includes(k))
            .map(([k, x]): [string, string] => [k, isEnv(x) ? secretOf(e, k) : tsValue(x, 4)]);
          const own = literal(
            e,
            Object.keys(e.entry).filter((k) => !['name', 'destination', 'type'].includes(k)),
          );
          if (fields.length > 0) own.push(['fields', props(fields, 2)]);
          lines.push(`const ${v} = new Credential(stack, ${id}, ${props(own, 0)});`);
        } else if (kind === 'integration') {
          const fields = literal(e, ['credential']);
          const ref = e.entry['credential'];
          if (typeof ref === 'string') {
            const v = credVar.get(ref);
            if (!v) throw new Error(`import: ${labelOf(kind, e.key)} names a credential not in the stack`);
            fields.push(['credential', v]);
          }
          lines.push(`new Integration(stack, ${id}, ${props(fields, 0)});`);
        } else {
          refuseUnsupportedKinds('stack', [kind]);
        }
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
