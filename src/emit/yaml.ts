import { CONFIG_SECTION, KINDS_TOP_DOWN, labelOf } from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import { escapeDollarBrace, mapStrings } from '../model/literal-dollar.js';
import type { ImportedModel, ImportProblem } from './imported.js';
import { commentText, inlineText, keyText, sequenceLines } from './yaml-text.js';
import type { ImportWriter, WrittenFile } from './writer.js';

/**
 * The YAML writer of the imported model: one file (`m3ter.yaml`) or one per kind (`webhooks.yaml`, ...), each with
 * the schema modeline, its kinds' sections in level order, and under `ignore` the live entities that could not be
 * written, each with why as a comment.
 */
export const writeYaml: ImportWriter = (model, options) => {
  const groups: { file: string; kinds: Kind[] }[] =
    options.layout === 'single'
      ? [{ file: `${options.baseName}.yaml`, kinds: [...model.kinds] }]
      : model.kinds.map((k) => ({ file: perKindFile(options.baseName, k), kinds: [k] }));
  return groups
    .filter((g) => g.kinds.length > 0)
    .map((g): WrittenFile => ({
      path: g.file,
      text: fileText(model, g.kinds, options.modeline(g.file), options.header),
    }));
};

function perKindFile(baseName: string, kind: Kind): string {
  return `${baseName === 'm3ter' ? '' : `${baseName}-`}${CONFIG_SECTION[kind]}.yaml`;
}

/** Every file name the YAML writer may use for `baseName`, in either layout. */
export function yamlFileNames(baseName: string): string[] {
  return [`${baseName}.yaml`, ...KINDS_TOP_DOWN.map((k) => perKindFile(baseName, k))];
}

function fileText(
  model: ImportedModel,
  kinds: readonly Kind[],
  schema: string,
  header: readonly string[],
): string {
  const out: string[] = [`# yaml-language-server: $schema=${schema}`];
  for (const line of header) out.push(`# ${commentText(line)}`);
  for (const kind of kinds) {
    // Text from m3ter is literal: a `${` in it is written `$${`, so it never reads back as a reference.
    const entries = model.entities[kind].map((e) => mapStrings(e.entry, escapeDollarBrace) as Json);
    out.push('');
    if (entries.length === 0) out.push(`${keyText(CONFIG_SECTION[kind])}: []`);
    else out.push(`${keyText(CONFIG_SECTION[kind])}:`, ...sequenceLines(entries, 2));
  }
  const ignored = kinds.filter((k) => model.ignore[k].length > 0);
  if (ignored.length > 0) {
    out.push(
      '',
      '# Live entities that could not be written as config (see the import report); left alone until you decide.',
    );
    out.push('ignore:');
    for (const kind of ignored) {
      out.push(`  ${keyText(CONFIG_SECTION[kind])}:`);
      // On one line, whatever it holds: a comment follows it, so it can never be a block.
      for (const p of model.problems.filter((x) => x.kind === kind))
        out.push(`    - ${inlineText(p.ignore)}  # ${problemComment(p)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function problemComment(p: ImportProblem): string {
  return commentText(`${p.code}: ${labelOf(p.kind, p.key)}, id ${p.id}`);
}
