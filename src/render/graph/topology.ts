import { KINDS_TOP_DOWN, referencedKey, referencesOf, type ReferenceSpec } from '../../kinds/index.js';
import type { Kind } from '../../model/kinds.js';
import type { Change, Plan } from '../../model/plan.js';
import { redactUrlsIn } from '../../model/redact.js';
import type { Resource } from '../../model/resource.js';
import type { ResourcesByKind } from '../../model/state.js';
import { compareStrings } from '../../plan/diff.js';

/**
 * The topology as a graph, derived from the kind registry alone: every entity is a node, every reference in
 * REFERENCES is an edge drawn as the reference's `drawn` says. No kind has graph code of its own. Pure.
 */

/** What happens to an entity: a plan's change, or `none`. */
export type NodeChange = 'create' | 'update' | 'delete' | 'none';
/** What happens to a reference: `add` (a link coming), `remove` (a link going), or `none`. */
export type EdgeChange = 'add' | 'remove' | 'none';

export interface EntityRef {
  readonly kind: Kind;
  readonly key: string;
}

export interface GraphNode extends EntityRef {
  /** A human name shown under the key where it helps (it differs from the key and is not part of it). */
  readonly name?: string;
  change: NodeChange;
  /**
   * `false` for an entity the files were read for and do not declare: only a reference names it (or only the live
   * org has it). Drawn without files (a plan alone), an entity named only by a reference counts as declared.
   */
  declared: boolean;
  /**
   * The plan removes every reference to or from it while it stays: a webhook losing its last link. Known only when
   * the files were read (a plan alone does not hold the references it leaves as they are).
   */
  orphaned?: boolean;
}

export interface GraphEdge {
  /** Node ids (see {@link nodeId}), in the direction drawn. */
  readonly from: string;
  readonly to: string;
  /** The referring attribute, e.g. `webhook`. */
  readonly attribute: string;
  change: EdgeChange;
}

export interface TopologyGraph {
  /** In drawing order: kinds top-down (KINDS_TOP_DOWN), then keys in code-point order. */
  readonly nodes: readonly GraphNode[];
  /** In drawing order: by the drawn source node, then target node, then attribute. */
  readonly edges: readonly GraphEdge[];
  /** A plan (or a drift report) marked this graph's changes: the legend explains the signs. */
  readonly marked: boolean;
}

/** The stable id of an entity inside a graph (never shown: renderers number the nodes n1, n2, ...). */
export function nodeId(ref: EntityRef): string {
  return `${ref.kind}\u0000${ref.key}`;
}

export interface TopologyInput {
  /** The declared entities (the files), drawn unchanged unless the plan changes them. */
  readonly desired?: ResourcesByKind | undefined;
  /**
   * Live entities (a drift report's view): those not declared are drawn as not declared, with their references.
   */
  readonly live?: ResourcesByKind | undefined;
  /** A plan: its creates, updates and deletes are marked, with the references they add and remove. */
  readonly plan?: Plan | undefined;
  /** Marks without a plan (a drift report): the entities named, with their change (default `update`). */
  readonly marks?: Iterable<EntityRef & { change?: NodeChange }> | undefined;
}

function nameOf(resource: Resource): string | undefined {
  const name = (resource.attributes as unknown as Record<string, unknown>)['name'];
  if (typeof name !== 'string' || name === '' || resource.key.includes(name)) return undefined;
  return redactUrlsIn(name);
}

interface Reference {
  readonly ref: ReferenceSpec;
  readonly target: EntityRef;
}

function referencesOfResource(resource: Resource): Reference[] {
  return referencesOf(resource.kind).flatMap((ref) => {
    const key = referencedKey(resource.attributes, ref);
    return key === null ? [] : [{ ref, target: { kind: ref.kind, key } }];
  });
}

class Builder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  node(resource: Resource, declared: boolean): GraphNode {
    const id = nodeId(resource);
    let node = this.nodes.get(id);
    if (!node) {
      const name = nameOf(resource);
      node = { kind: resource.kind, key: resource.key, ...(name ? { name } : {}), change: 'none', declared };
      this.nodes.set(id, node);
    }
    node.declared ||= declared;
    return node;
  }

  resource(resource: Resource, declared: boolean): void {
    this.node(resource, declared);
    for (const r of referencesOfResource(resource)) this.setEdge(resource, r, 'none');
  }

  change(c: Change): void {
    if (c.type === 'create') {
      this.node(c.desired, true).change = 'create';
      for (const r of referencesOfResource(c.desired)) this.setEdge(c.desired, r, 'add');
    } else if (c.type === 'delete') {
      this.node(c.live, true).change = 'delete';
      for (const r of referencesOfResource(c.live)) this.setEdge(c.live, r, 'remove');
    } else {
      this.node(c.desired, true).change = 'update';
      const before = referencesOfResource(c.live);
      const after = referencesOfResource(c.desired);
      const same = (a: Reference, b: Reference): boolean =>
        a.ref.attribute === b.ref.attribute && a.target.key === b.target.key;
      for (const r of after) this.setEdge(c.desired, r, before.some((b) => same(b, r)) ? 'none' : 'add');
      for (const r of before) if (!after.some((a) => same(a, r))) this.setEdge(c.live, r, 'remove');
    }
  }

  /** Sets a reference's change; the plan's word overrides the files'. */
  private setEdge(resource: Resource, r: Reference, change: EdgeChange): void {
    const self = nodeId(resource);
    const other = nodeId(r.target);
    const [from, to] = r.ref.drawn === 'to' ? [self, other] : [other, self];
    const id = `${from}\u0001${to}\u0001${r.ref.attribute}`;
    const existing = this.edges.get(id);
    if (existing) existing.change = change;
    else this.edges.set(id, { from, to, attribute: r.ref.attribute, change });
  }

  build(marked: boolean, filesRead: boolean): TopologyGraph {
    // Every entity something names is drawn, declared or not.
    for (const e of [...this.edges.values()]) {
      for (const id of [e.from, e.to]) {
        if (this.nodes.has(id)) continue;
        const at = id.indexOf('\u0000');
        const kind = id.slice(0, at) as Kind;
        const key = id.slice(at + 1);
        this.nodes.set(id, { kind, key, change: 'none', declared: !filesRead });
      }
    }
    const rank = new Map(KINDS_TOP_DOWN.map((k, i) => [k, i]));
    const byNode = (a: EntityRef, b: EntityRef): number =>
      (rank.get(a.kind) ?? 0) - (rank.get(b.kind) ?? 0) || compareStrings(a.key, b.key);
    const total = new Map<string, number>();
    const kept = new Map<string, number>();
    for (const e of this.edges.values()) {
      for (const id of [e.from, e.to]) {
        total.set(id, (total.get(id) ?? 0) + 1);
        if (e.change !== 'remove') kept.set(id, (kept.get(id) ?? 0) + 1);
      }
    }
    for (const [id, node] of filesRead ? this.nodes : []) {
      if (node.change !== 'delete' && (total.get(id) ?? 0) > 0 && !kept.has(id)) node.orphaned = true;
    }
    const nodes = [...this.nodes.values()].sort(byNode);
    const order = new Map(nodes.map((n, i) => [nodeId(n), i]));
    const edges = [...this.edges.values()].sort(
      (a, b) =>
        (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0) ||
        (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0) ||
        compareStrings(a.attribute, b.attribute),
    );
    return { nodes, edges, marked };
  }
}

/**
 * The graph of the declared entities, a plan's changes, or both: each declared entity is a node; a plan adds the
 * entities it deletes and marks every create, update and delete, and each reference that comes or goes. Entities
 * only named by a reference are drawn too, as not declared.
 */
export function buildTopology(input: TopologyInput): TopologyGraph {
  const b = new Builder();
  if (input.desired) {
    for (const kind of KINDS_TOP_DOWN) for (const r of input.desired[kind].values()) b.resource(r, true);
  }
  if (input.live) {
    for (const kind of KINDS_TOP_DOWN) {
      for (const r of input.live[kind].values()) if (!input.desired?.[kind].has(r.key)) b.resource(r, false);
    }
  }
  for (const c of input.plan?.changes ?? []) b.change(c);
  let marked = input.plan !== undefined;
  for (const m of input.marks ?? []) {
    marked = true;
    const id = nodeId(m);
    const node = b.nodes.get(id) ?? {
      kind: m.kind,
      key: m.key,
      change: 'none',
      declared: input.desired === undefined,
    };
    node.change = m.change ?? 'update';
    b.nodes.set(id, node);
  }
  return b.build(marked, input.desired !== undefined);
}

/** The entities a plan or marks changed. */
export function changedNodes(graph: TopologyGraph): GraphNode[] {
  return graph.nodes.filter((n) => n.change !== 'none');
}

/**
 * The seeds and everything connected to them along the arrows: what reaches them and what they reach (a rule's
 * links and the webhooks they deliver to; a webhook's links and the rules that fire them). Siblings are not
 * included: a webhook's focus does not draw the other webhooks its rules reach.
 */
export function neighbourhood(graph: TopologyGraph, seeds: Iterable<EntityRef>): Set<string> {
  const out = adjacency(graph, 'out');
  const into = adjacency(graph, 'in');
  const kept = new Set<string>();
  // One walk per direction from every seed at once: linear in the graph, however many seeds.
  for (const next of [out, into]) {
    const seen = new Set<string>();
    const stack = [...seeds].map(nodeId);
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      kept.add(id);
      for (const n of next.get(id) ?? []) if (!seen.has(n)) stack.push(n);
    }
  }
  return kept;
}

function adjacency(graph: TopologyGraph, direction: 'out' | 'in' | 'both'): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (a: string, b: string): void => {
    const list = map.get(a);
    if (list) list.push(b);
    else map.set(a, [b]);
  };
  for (const e of graph.edges) {
    if (direction !== 'in') add(e.from, e.to);
    if (direction !== 'out') add(e.to, e.from);
  }
  return map;
}

/** The graph restricted to some nodes (and the edges between them). */
export function restrictGraph(graph: TopologyGraph, ids: ReadonlySet<string>): TopologyGraph {
  return {
    nodes: graph.nodes.filter((n) => ids.has(nodeId(n))),
    edges: graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to)),
    marked: graph.marked,
  };
}

/**
 * The changed entities and their neighbourhood, at most `maxNodes` of them: changed entities first (in drawing
 * order), then neighbours nearest first. Returns the graph kept and how many entities were left out.
 */
export function changedNeighbourhood(
  graph: TopologyGraph,
  maxNodes = Infinity,
): { graph: TopologyGraph; omitted: number } {
  const changed = changedNodes(graph);
  const around = neighbourhood(graph, changed);
  if (around.size <= maxNodes) return { graph: restrictGraph(graph, around), omitted: 0 };
  const adjacent = adjacency(graph, 'both');
  // Breadth first from every changed entity at once, within the neighbourhood, so nearer neighbours win.
  const kept = new Set<string>();
  const queue = changed.map(nodeId);
  for (let i = 0; i < queue.length && kept.size < maxNodes; i++) {
    const id = queue[i] as string;
    if (kept.has(id) || !around.has(id)) continue;
    kept.add(id);
    for (const n of adjacent.get(id) ?? []) if (!kept.has(n)) queue.push(n);
  }
  return { graph: restrictGraph(graph, kept), omitted: around.size - kept.size };
}
