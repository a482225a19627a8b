import {
  EDGE_COLOURS,
  EDGE_SIGN,
  groupsOf,
  idsOf,
  legendOf,
  lookOf,
  NODE_COLOURS,
  type NodeLook,
  nodeText,
} from './look.js';
import { nodeId, type TopologyGraph } from './topology.js';
import { cutText } from '../markdown.js';

/** The full name in a node's comment is cut past this: a huge key would otherwise pass Mermaid's text limit alone. */
const MAX_COMMENT_CHARS = 300;

/**
 * Text inside a quoted Mermaid label. Everything but letters, digits, marks, spaces and a few plain punctuation
 * marks becomes a numeric entity (`#35;`), which Mermaid decodes when it draws: quotes, brackets, braces, pipes,
 * `<` and `>` (so no `-->` and no markup), `#`, `;`, `%` (so no `%%{init}%%` directive, which Mermaid looks for
 * anywhere in the text), backticks (no Markdown strings) and backslashes. Newlines, controls and bidi characters
 * were already made visible as `\uXXXX` (look.ts), so a label never spans a line and no `click` line can start.
 */
export function escapeMermaidLabel(text: string): string {
  return text.replace(/[^\p{L}\p{N}\p{M} _.,:/@+~!?*'=()…-]/gu, (c) => `#${c.codePointAt(0)};`);
}

/** Text in a `%%` comment: kept on its line, and no `%` or braces, so it cannot become a directive. */
function escapeMermaidComment(text: string): string {
  return text.replace(/[%{}]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

const CLASS: Readonly<Record<NodeLook, string>> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  unchanged: 'unchanged',
  undeclared: 'undeclared',
};

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function quoted(lines: readonly string[]): string {
  return `"${lines.map(escapeMermaidLabel).join('<br/>')}"`;
}

/**
 * A Mermaid flowchart, left to right: one subgraph per kind, a legend, generated ids (`n1`...), each change by
 * colour and by sign. Deterministic: the same graph gives the same bytes. No trailing newline.
 */
export function renderMermaid(graph: TopologyGraph): string {
  const ids = idsOf(graph);
  const out = ['flowchart LR'];
  const classes = new Map<NodeLook, string[]>();
  groupsOf(graph).forEach((group, g) => {
    out.push(`  subgraph g${g + 1}[${quoted([group.label])}]`);
    for (const node of group.nodes) {
      const id = ids.get(nodeId(node)) as string;
      const text = nodeText(node);
      if (text.shortened)
        out.push(`    %% ${id}: ${escapeMermaidComment(cutText(text.full, MAX_COMMENT_CHARS))}`);
      out.push(`    ${id}[${quoted(text.lines)}]`);
      const look = lookOf(node);
      addTo(classes, look, id);
    }
    out.push('  end');
  });
  const linkStyles: string[] = [];
  graph.edges.forEach((edge, i) => {
    const from = ids.get(edge.from) as string;
    const to = ids.get(edge.to) as string;
    if (edge.change === 'none') {
      out.push(`  ${from} --> ${to}`);
      return;
    }
    const arrow = edge.change === 'add' ? '==>' : '-.->';
    out.push(`  ${from} ${arrow}|${quoted([EDGE_SIGN[edge.change]])}| ${to}`);
    const width = edge.change === 'add' ? 3 : 2;
    linkStyles.push(`  linkStyle ${i} stroke:${EDGE_COLOURS[edge.change]},stroke-width:${width}px`);
  });
  out.push(`  subgraph legend[${quoted(['Legend'])}]`);
  legendOf(graph).forEach((entry, i) => {
    out.push(`    l${i + 1}[${quoted([entry.text])}]`);
    addTo(classes, entry.look, `l${i + 1}`);
  });
  out.push('  end');
  for (const [look, c] of Object.entries(NODE_COLOURS) as [NodeLook, (typeof NODE_COLOURS)[NodeLook]][]) {
    const members = classes.get(look);
    if (!members) continue;
    const dash = c.dashed ? ',stroke-dasharray:5 3' : '';
    out.push(`  classDef ${CLASS[look]} fill:${c.fill},stroke:${c.stroke},color:${c.text}${dash}`);
    out.push(`  class ${members.join(',')} ${CLASS[look]}`);
  }
  out.push(...linkStyles);
  return out.join('\n');
}
