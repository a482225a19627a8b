import { KIND_LABEL, KINDS_TOP_DOWN, labelOf } from '../../kinds/index.js';
import type { Kind } from '../../model/kinds.js';
import { CHANGE_SYMBOL } from '../ansi.js';
import { escapeText } from '../escape.js';
import type { EdgeChange, GraphNode, NodeChange, TopologyGraph } from './topology.js';
import { nodeId } from './topology.js';

/**
 * What every format draws the same way: the text of each node and of the legend, the colours, the groups and the
 * generated ids. The formats (mermaid.ts, dot.ts) only escape and lay this out.
 */

/** Longer keys and names are shortened in the middle; the full key stays in a tooltip (DOT) or comment (Mermaid). */
export const MAX_LABEL_CHARS = 40;

/** How a node is painted: its change, or `undeclared` for an unchanged entity only named by a reference. */
export type NodeLook = Exclude<NodeChange, 'none'> | 'unchanged' | 'undeclared';

export interface Colours {
  readonly fill: string;
  readonly stroke: string;
  readonly text: string;
  readonly dashed: boolean;
}

/** GitHub's Primer palette: the same hues as the diff colours reviewers know, readable in light mode and in grey. */
export const NODE_COLOURS: Readonly<Record<NodeLook, Colours>> = {
  create: { fill: '#dafbe1', stroke: '#1a7f37', text: '#0a3622', dashed: false },
  update: { fill: '#fff8c5', stroke: '#9a6700', text: '#3b2300', dashed: false },
  delete: { fill: '#ffebe9', stroke: '#cf222e', text: '#5c0b12', dashed: true },
  unchanged: { fill: '#ffffff', stroke: '#57606a', text: '#1f2328', dashed: false },
  undeclared: { fill: '#f6f8fa', stroke: '#8c959f', text: '#57606a', dashed: true },
};

export const EDGE_COLOURS: Readonly<Record<Exclude<EdgeChange, 'none'>, string>> = {
  add: '#1a7f37',
  remove: '#cf222e',
};

export const EDGE_SIGN: Readonly<Record<Exclude<EdgeChange, 'none'>, string>> = { add: '+', remove: '-' };

export function lookOf(node: GraphNode): NodeLook {
  if (node.change !== 'none') return node.change;
  return node.declared ? 'unchanged' : 'undeclared';
}

/** Shortens by code points, keeping the start and the end (where codes differ most: `..._prod`, `...->webhook`). */
export function shorten(text: string, max = MAX_LABEL_CHARS): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.6);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** User text made safe to show on one line: controls and bidi characters as `\uXXXX`, then shortened. */
function visible(text: string): string {
  return shorten(escapeText(text, { newlines: false }));
}

export interface NodeText {
  /** The lines of the label, not yet escaped for a format (the formats escape every character they must). */
  readonly lines: readonly string[];
  /** The full, unshortened name of the entity (`webhook "ops_alerts"`), for a tooltip or comment. */
  readonly full: string;
  /** The label shortened something. */
  readonly shortened: boolean;
}

export function nodeText(node: GraphNode): NodeText {
  const sign = node.change === 'none' ? '' : `${CHANGE_SYMBOL[node.change]} `;
  const key = visible(node.key);
  const lines = [`${sign}${key}`];
  const name = node.name === undefined ? undefined : visible(node.name);
  if (name !== undefined) lines.push(name);
  if (!node.declared && node.change === 'none') lines.push('(not declared)');
  if (node.orphaned) lines.push(ORPHANED);
  const shortened =
    key !== escapeText(node.key, { newlines: false }) ||
    (node.name !== undefined && name !== escapeText(node.name, { newlines: false }));
  return { lines, full: escapeText(labelOf(node.kind, node.key), { newlines: false }), shortened };
}

export interface Group {
  readonly kind: Kind;
  readonly label: string;
  readonly nodes: readonly GraphNode[];
}

/** Nodes grouped by kind, kinds in level order (credentials first, links last). */
export function groupsOf(graph: TopologyGraph): Group[] {
  return KINDS_TOP_DOWN.map((kind) => ({
    kind,
    label: KIND_LABEL[kind],
    nodes: graph.nodes.filter((n) => n.kind === kind),
  })).filter((g) => g.nodes.length > 0);
}

/** Generated ids, never user text: `n1`, `n2`, ... in drawing order. */
export function idsOf(graph: TopologyGraph): Map<string, string> {
  return new Map(graph.nodes.map((n, i) => [nodeId(n), `n${i + 1}`]));
}

/** The line under an entity that the plan leaves with no reference to or from it. */
const ORPHANED = '! loses its last connection';

export interface LegendEntry {
  readonly text: string;
  readonly look: NodeLook;
}

const NODE_LEGEND: Readonly<Record<NodeLook, string>> = {
  create: `${CHANGE_SYMBOL.create} to create`,
  update: `${CHANGE_SYMBOL.update} to update`,
  delete: `${CHANGE_SYMBOL.delete} to delete`,
  unchanged: 'unchanged',
  undeclared: '(not declared): not in the files',
};

/**
 * The legend: what the arrows mean, then each kind of mark the picture uses. A marked graph always explains the
 * three signs, so a picture without deletes still says how one would look.
 */
export function legendOf(graph: TopologyGraph): LegendEntry[] {
  const looks = new Set(graph.nodes.map(lookOf));
  const entries: LegendEntry[] = [{ text: 'arrow: fires, delivers to or uses', look: 'unchanged' }];
  const shown: NodeLook[] = graph.marked
    ? ['create', 'update', 'delete', ...(['unchanged', 'undeclared'] as const).filter((l) => looks.has(l))]
    : (['undeclared'] as const).filter((l) => looks.has(l));
  for (const look of shown) entries.push({ text: NODE_LEGEND[look], look });
  if (graph.nodes.some((n) => n.orphaned)) {
    entries.push({ text: ORPHANED, look: 'unchanged' });
  }
  if (graph.marked) {
    entries.push({ text: `${EDGE_SIGN.add} on a thick arrow: reference added`, look: 'create' });
    entries.push({ text: `${EDGE_SIGN.remove} on a dashed arrow: reference removed`, look: 'delete' });
  }
  return entries;
}
