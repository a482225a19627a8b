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

/**
 * A DOT quoted string: backslashes doubled (so no `\N`, `\G` or `\l` escape of Graphviz's own), quotes escaped, `&`
 * as `&amp;` (Graphviz decodes entities in labels). Newlines, controls and bidi characters were already made
 * visible as `\uXXXX` (look.ts). Graphviz escapes `<` and `>` itself when it writes SVG.
 */
export function escapeDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/&/g, '&amp;')}"`;
}

function nodeAttributes(look: NodeLook, label: string[], tooltip: string): string {
  const c = NODE_COLOURS[look];
  // Lines joined by DOT's own `\n` after escaping, so a user's backslash cannot make one.
  const text = label.map((l) => escapeDot(l).slice(1, -1)).join('\\n');
  return [
    `label="${text}"`,
    `tooltip=${escapeDot(tooltip)}`,
    `style="rounded,filled${c.dashed ? ',dashed' : ''}"`,
    `fillcolor="${c.fill}"`,
    `color="${c.stroke}"`,
    `fontcolor="${c.text}"`,
  ].join(', ');
}

/**
 * A Graphviz digraph, left to right: one cluster per kind, a legend cluster, generated ids (`n1`...), each change by
 * colour and by sign, the full name of each entity in its tooltip. Deterministic. No trailing newline.
 */
export function renderDot(graph: TopologyGraph): string {
  const ids = idsOf(graph);
  const out = [
    'digraph topology {',
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.3, ranksep=0.6];',
    '  node [shape=box, fontname="Helvetica", fontsize=11];',
    '  edge [color="#57606a", fontname="Helvetica", fontsize=11];',
  ];
  groupsOf(graph).forEach((group, g) => {
    out.push(`  subgraph cluster_${g + 1} {`);
    out.push(`    label=${escapeDot(group.label)}; style="rounded"; color="#d0d7de";`);
    for (const node of group.nodes) {
      const text = nodeText(node);
      out.push(`    ${ids.get(nodeId(node))} [${nodeAttributes(lookOf(node), [...text.lines], text.full)}];`);
    }
    out.push('  }');
  });
  for (const edge of graph.edges) {
    const arrow = `  ${ids.get(edge.from)} -> ${ids.get(edge.to)}`;
    if (edge.change === 'none') {
      out.push(`${arrow};`);
      continue;
    }
    const colour = EDGE_COLOURS[edge.change];
    const style = edge.change === 'add' ? 'penwidth=2.5' : 'style=dashed';
    out.push(
      `${arrow} [label=${escapeDot(EDGE_SIGN[edge.change])}, color="${colour}", fontcolor="${colour}", ${style}];`,
    );
  }
  out.push('  subgraph cluster_legend {', '    label="Legend"; style="rounded"; color="#d0d7de";');
  const legend = legendOf(graph);
  legend.forEach((entry, i) => {
    out.push(`    l${i + 1} [${nodeAttributes(entry.look, [entry.text], entry.text)}];`);
  });
  // One rank: a column, left to right.
  out.push(`    { rank=same; ${legend.map((_, i) => `l${i + 1};`).join(' ')} }`);
  out.push('  }', '}');
  return out.join('\n');
}
