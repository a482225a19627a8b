import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';
import {
  buildTopology,
  changedNeighbourhood,
  type EntityRef,
  type NodeChange,
  type TopologyGraph,
  type TopologyInput,
} from './topology.js';

export { escapeDot, renderDot } from './dot.js';
export { escapeMermaidLabel, renderMermaid } from './mermaid.js';
export { MAX_LABEL_CHARS } from './look.js';
export {
  buildTopology,
  changedNeighbourhood,
  changedNodes,
  type EdgeChange,
  type EntityRef,
  type GraphEdge,
  type GraphNode,
  neighbourhood,
  type NodeChange,
  nodeId,
  restrictGraph,
  type TopologyGraph,
  type TopologyInput,
} from './topology.js';

/** The text formats of a topology picture (`svg` is DOT drawn by Graphviz, outside this pure layer). */
export type GraphTextFormat = 'mermaid' | 'dot';

/** Mermaid or DOT text for a graph, ending with a newline. Pure and deterministic. */
export function renderGraph(graph: TopologyGraph, format: GraphTextFormat): string {
  return `${format === 'dot' ? renderDot(graph) : renderMermaid(graph)}\n`;
}

/**
 * Mermaid's own defaults (`maxEdges`, `maxTextSize`): past either, GitHub, GitLab and the Mermaid editor draw an
 * error instead of the picture.
 */
export const MERMAID_LIMITS = { maxEdges: 500, maxTextSize: 50_000 } as const;

/** Why a Mermaid text would not be drawn with Mermaid's default limits, or undefined when it would. */
export function mermaidOverLimits(text: string): string | undefined {
  // Every arrow is one line starting with an id and an arrow (the legend has none).
  const edges = text.match(/^ {2}n\d+ (?:-->|==>|-\.->)/gm)?.length ?? 0;
  if (edges <= MERMAID_LIMITS.maxEdges && text.length <= MERMAID_LIMITS.maxTextSize) return undefined;
  return `the Mermaid picture has ${edges} arrows and ${text.length} characters, over Mermaid's default limits (${MERMAID_LIMITS.maxEdges} arrows, ${MERMAID_LIMITS.maxTextSize} characters): GitHub, GitLab and the Mermaid editor would show an error instead of it`;
}

/**
 * How many entities a Markdown report draws at most (changed ones first, then their nearest neighbours). Past
 * about thirty boxes a diagram in a pull-request comment stops being readable; the rest are counted in a line
 * below it, with the command that draws them all.
 */
export const MARKDOWN_GRAPH_MAX_NODES = 30;

export interface ChangeGraphMarkdownOptions {
  /** The command that draws the whole changed neighbourhood, shown when some entities were left out. */
  readonly drawAllCommand: string;
  /** Default {@link MARKDOWN_GRAPH_MAX_NODES}. */
  readonly maxNodes?: number;
}

/**
 * A ```mermaid block of the changed entities and their neighbourhood, capped at `maxNodes`, followed when needed by
 * a line saying how many entities were left out and the command that draws them all. Returns the Markdown lines
 * (no heading), or none when nothing changed. Pure: for `plan --format markdown` and the drift report.
 */
export function renderChangeGraphMarkdown(
  graph: TopologyGraph,
  options: ChangeGraphMarkdownOptions,
): string[] {
  const max = options.maxNodes ?? MARKDOWN_GRAPH_MAX_NODES;
  const { graph: shown, omitted } = changedNeighbourhood(graph, max);
  if (shown.nodes.length === 0) return [];
  // Labels never hold a backtick (escaped as an entity), so a plain fence cannot be closed from inside.
  const lines = ['```mermaid', renderMermaid(shown), '```'];
  if (omitted > 0) {
    lines.push(
      '',
      `${omitted} more ${omitted === 1 ? 'entity is' : 'entities are'} not drawn (at most ${max} are); draw them all with \`${options.drawAllCommand}\`.`,
    );
  }
  return lines;
}

/**
 * {@link renderChangeGraphMarkdown} for a set of changed entity keys, as a drift report has them: the declared and
 * live entities give the topology, `changed` the marks (each `update` unless it says otherwise).
 */
export function renderChangedKeysMarkdown(
  input: Omit<TopologyInput, 'marks' | 'plan'>,
  changed: Iterable<EntityRef & { change?: NodeChange }>,
  options: ChangeGraphMarkdownOptions,
): string[] {
  return renderChangeGraphMarkdown(buildTopology({ ...input, marks: changed }), options);
}
