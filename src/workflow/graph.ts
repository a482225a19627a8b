import { readFile } from 'node:fs/promises';
import { CONFIG_SECTION } from '../kinds/index.js';
import type { Plan } from '../model/plan.js';
import type { ResourcesByKind } from '../model/state.js';
import {
  buildTopology,
  changedNeighbourhood,
  type EntityRef,
  neighbourhood,
  restrictGraph,
  type TopologyGraph,
} from '../render/graph/index.js';
import { readSavedPlanForDisplay } from './saved-plan.js';

export interface DrawOptions {
  /**
   * Draw only this entity and what is connected to it along the arrows: a key (every kind's entity with that key),
   * or `KIND:KEY` with the kind's name or section (`webhook:ops`, `webhooks:ops`).
   */
  focus?: string | undefined;
  /** Draw only the changed entities and what is connected to them. */
  changedOnly?: boolean;
}

/** The entities a `--focus` names: by key in every kind, else `KIND:KEY`. */
export function entitiesNamed(graph: TopologyGraph, focus: string): EntityRef[] {
  const byKey = graph.nodes.filter((n) => n.key === focus);
  if (byKey.length > 0) return byKey;
  const at = focus.indexOf(':');
  if (at < 0) return [];
  const kind = focus.slice(0, at);
  const key = focus.slice(at + 1);
  return graph.nodes.filter((n) => n.key === key && (n.kind === kind || CONFIG_SECTION[n.kind] === kind));
}

/** Thrown when `--focus` names no entity of the graph; `known` are the keys it has, for a suggestion. */
export class FocusNotFound extends Error {
  constructor(
    readonly focus: string,
    readonly known: readonly string[],
  ) {
    super(`--focus ${JSON.stringify(focus)} names no entity of this graph`);
  }
}

/** The topology to draw: the declared entities, a plan's marks, narrowed to a focus and to the changes. */
export function topologyToDraw(
  input: { desired?: ResourcesByKind | undefined; plan?: Plan | undefined },
  options: DrawOptions = {},
): TopologyGraph {
  let graph = buildTopology(input);
  if (options.focus !== undefined) {
    const named = entitiesNamed(graph, options.focus);
    if (named.length === 0)
      throw new FocusNotFound(options.focus, [...new Set(graph.nodes.map((n) => n.key))]);
    graph = restrictGraph(graph, neighbourhood(graph, named));
  }
  if (options.changedOnly) graph = changedNeighbourhood(graph).graph;
  return graph;
}

/** A saved plan (`plan --out FILE`) read for drawing: checked like `apply FILE`, but no secret is needed. */
export async function readPlanToDraw(file: string): Promise<Plan> {
  return readSavedPlanForDisplay(await readFile(file, 'utf8'));
}

/**
 * DOT drawn as SVG by Graphviz compiled to WebAssembly, in this process. Imported here, on first use, so that
 * no other command pays for loading it.
 */
export async function renderSvg(dot: string): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}
