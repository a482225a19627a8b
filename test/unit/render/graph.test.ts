import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/model/kinds.js';
import type { DesiredState } from '../../../src/model/state.js';
import { createPlan } from '../../../src/plan/index.js';
import {
  buildTopology,
  MARKDOWN_GRAPH_MAX_NODES,
  MAX_LABEL_CHARS,
  mermaidOverLimits,
  renderChangedKeysMarkdown,
  renderChangeGraphMarkdown,
  renderGraph,
} from '../../../src/render/graph/index.js';
import { renderPlan } from '../../../src/render/plan.js';
import { parseEnvFile } from '../../../src/load/index.js';
import { topologyToDraw } from '../../../src/workflow/graph.js';
import { validate } from '../../../src/workflow/validate.js';
import { README_PATH, withQuickstartGraph } from '../../../scripts/generate-readme-graph.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const HOSTILE = path.join(ROOT, 'test/fixtures/graph-hostile');

async function load(dir: string, envFile?: string): Promise<DesiredState> {
  const env = envFile ? parseEnvFile(readFileSync(envFile, 'utf8')).env : {};
  const result = await validate([dir], { env, cwd: ROOT });
  expect(result.errorCount, JSON.stringify(result.issues)).toBe(0);
  return result.state as DesiredState;
}

describe('graph: golden pictures of the examples', () => {
  for (const example of ['quickstart', 'gitops']) {
    it(`${example}: Mermaid and DOT`, async () => {
      const state = await load(path.join(ROOT, 'examples', example));
      const graph = buildTopology({ desired: state.resources });
      await expect(renderGraph(graph, 'mermaid')).toMatchFileSnapshot(`../../golden/graph/${example}.mmd`);
      await expect(renderGraph(graph, 'dot')).toMatchFileSnapshot(`../../golden/graph/${example}.dot`);
      // Every declared entity is named in both.
      for (const kind of KINDS) {
        for (const key of state.resources[kind].keys()) {
          expect(renderGraph(graph, 'dot')).toContain(JSON.stringify(key).slice(1, -1));
        }
      }
    });
  }

  it('the hostile-names fixture: golden Mermaid and DOT, and no secret value anywhere', async () => {
    const state = await load(HOSTILE, path.join(HOSTILE, 'hostile.env'));
    const graph = buildTopology({ desired: state.resources });
    const mermaid = renderGraph(graph, 'mermaid');
    const dot = renderGraph(graph, 'dot');
    await expect(mermaid).toMatchFileSnapshot('../../golden/graph/hostile.mmd');
    await expect(dot).toMatchFileSnapshot('../../golden/graph/hostile.dot');
    for (const text of [mermaid, dot]) {
      expect(text).not.toMatch(/SECRET[123]/);
      expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028]/);
    }
    // Mermaid: one statement per line and no user text outside quotes: no click, no directive, no extra edge.
    expect(mermaid).not.toMatch(/^\s*click\b/m);
    expect(mermaid).not.toContain('%%{');
    expect(mermaid.match(/-->|==>|-\.->/g)).toHaveLength(graph.edges.length);
    for (const line of mermaid.trimEnd().split('\n')) expect(line).toMatch(MERMAID_LINE);
    // DOT: with its quoted strings taken out, each line is one statement of ours and no quote is left over.
    for (const line of dot.trimEnd().split('\n')) {
      expect(line.replace(/"(?:[^"\\\n]|\\.)*"/g, 'S')).toMatch(DOT_LINE);
    }
  });

  it('is deterministic: the same entities in another order give the same bytes', async () => {
    const state = await load(path.join(ROOT, 'examples/gitops'));
    const reversed = desiredState(KINDS.flatMap((k) => [...state.resources[k].values()].reverse()));
    const a = buildTopology({ desired: state.resources });
    const b = buildTopology({ desired: reversed.resources });
    expect(renderGraph(b, 'mermaid')).toBe(renderGraph(a, 'mermaid'));
    expect(renderGraph(b, 'dot')).toBe(renderGraph(a, 'dot'));
  });
});

/** The shapes of every line the Mermaid renderer writes; user text only ever inside `"..."` with no `"`. */
const MERMAID_LINE = new RegExp(
  [
    '^flowchart LR$',
    '^ {2}subgraph (g\\d+|legend)\\["[^"]*"\\]$',
    '^ {4}[nl]\\d+\\["[^"]*"\\]$',
    '^ {4}%% n\\d+: [^%{}\\n]*$',
    '^ {2}end$',
    '^ {2}n\\d+ (-->|==>\\|"\\+"\\||-\\.->\\|"-"\\|) n\\d+$',
    '^ {2}classDef [a-z]+ [a-z:#0-9,\\- ]+$',
    '^ {2}class [nl0-9,]+ [a-z]+$',
    '^ {2}linkStyle \\d+ [a-z:#0-9,\\-]+$',
  ].join('|'),
);

/** The shapes of every line the DOT renderer writes, once each quoted string is replaced by `S`. */
const DOT_LINE = new RegExp(
  [
    '^digraph topology \\{$',
    '^ {2}(graph|node|edge) \\[[^"]*\\];$',
    '^ {2}subgraph cluster_(\\d+|legend) \\{$',
    '^ {4}label=S; style=S; color=S;$',
    '^ {4}[nl]\\d+ \\[label=S, tooltip=S, style=S, fillcolor=S, color=S, fontcolor=S\\];$',
    '^ {2}n\\d+ -> n\\d+( \\[label=S, color=S, fontcolor=S, (penwidth=2.5|style=dashed)\\])?;$',
    '^ {4}\\{ rank=same;( l\\d+;)+ \\}$',
    '^ {0,2}\\}$',
  ].join('|'),
);

describe('graph: a plan marked', () => {
  it('marks creates, updates and deletes, and the references that come and go', () => {
    const desired = desiredState([
      d.credential('STRIPE', 'new'),
      d.integration('Bill', 'Stripe', { credential: 'STRIPE/new' }),
      d.webhook('ops'),
      d.rule('r1'),
      d.link('r1', 'ops'),
    ]);
    const live = liveState([
      l.credential('STRIPE', 'old'),
      l.credential('STRIPE', 'new'),
      l.integration('Bill', 'Stripe', { credential: 'STRIPE/old' }),
      l.webhook('ops'),
      l.webhook('gone'),
      l.rule('r1'),
      l.link('r1', 'gone'),
    ]);
    const plan = createPlan(desired, live, options({ allowDeletes: true }));
    const graph = buildTopology({ desired: desired.resources, plan });
    const byKey = new Map(graph.nodes.map((n) => [`${n.kind} ${n.key}`, n.change]));
    expect(Object.fromEntries(byKey)).toEqual({
      'credential STRIPE/new': 'none',
      'credential STRIPE/old': 'delete',
      'integration Bill->Stripe': 'update',
      'webhook gone': 'delete',
      'webhook ops': 'none',
      'notificationRule r1': 'none',
      'link r1->gone': 'delete',
      'link r1->ops': 'create',
    });
    const edges = graph.edges.map(
      (e) => `${e.from.split('\u0000')[1]} ${e.change} ${e.to.split('\u0000')[1]}`,
    );
    expect(edges.sort()).toEqual([
      'Bill->Stripe add STRIPE/new',
      'Bill->Stripe remove STRIPE/old',
      'r1 add r1->ops',
      'r1 remove r1->gone',
      'r1->gone remove gone',
      'r1->ops add ops',
    ]);
    const mermaid = renderGraph(graph, 'mermaid');
    expect(mermaid).toContain('["+ r1-#62;ops"]');
    expect(mermaid).toContain('["- gone<br/>Webhook gone"]');
    expect(mermaid).toContain('["~ Bill-#62;Stripe"]');
    expect(mermaid).toMatch(/n\d+ ==>\|"\+"\| n\d+/);
    expect(mermaid).toMatch(/n\d+ -\.->\|"-"\| n\d+/);
    expect(mermaid).toContain('"+ to create"');
    const dot = renderGraph(graph, 'dot');
    expect(dot).toContain('style=dashed');
    expect(dot).toContain('label="- gone\\nWebhook gone"');
  });

  it('marks an entity the plan leaves with no connection, when the files were read', () => {
    const desired = desiredState([d.webhook('kept'), d.webhook('lonely'), d.rule('r'), d.link('r', 'kept')]);
    const live = liveState([l.webhook('kept'), l.webhook('lonely'), l.rule('r'), l.link('r', 'lonely')]);
    const plan = createPlan(desired, live, options({ allowDeletes: true }));
    const text = renderGraph(buildTopology({ desired: desired.resources, plan }), 'mermaid');
    expect(text).toContain('"lonely<br/>Webhook lonely<br/>! loses its last connection"');
    expect(text).toContain('"! loses its last connection"');
    expect(text).not.toContain('"kept<br/>Webhook kept<br/>!');
    // From the plan alone the references it keeps are unknown: no such mark.
    expect(renderGraph(buildTopology({ plan }), 'mermaid')).not.toContain('loses');
  });

  it('--focus draws one entity and what is connected along the arrows, not its siblings', () => {
    const desired = desiredState([
      d.webhook('a'),
      d.webhook('b'),
      d.rule('r'),
      d.rule('s'),
      d.link('r', 'a'),
      d.link('r', 'b'),
      d.link('s', 'b'),
    ]);
    const keys = (focus: string) =>
      topologyToDraw({ desired: desired.resources }, { focus }).nodes.map((n) => n.key);
    expect(keys('a')).toEqual(['a', 'r', 'r->a']);
    expect(keys('r')).toEqual(['a', 'b', 'r', 'r->a', 'r->b']);
    expect(keys('webhook:b')).toEqual(['b', 'r', 's', 'r->b', 's->b']);
    expect(() => topologyToDraw({ desired: desired.resources }, { focus: 'nope' })).toThrow(
      /names no entity/,
    );
  });

  it('--changed-only draws the changes and what is connected to them', () => {
    const desired = desiredState([d.webhook('a'), d.webhook('b'), d.rule('r'), d.link('r', 'a')]);
    const live = liveState([l.webhook('a'), l.webhook('b'), l.rule('r')]);
    const plan = createPlan(desired, live, options());
    const graph = topologyToDraw({ desired: desired.resources, plan }, { changedOnly: true });
    expect(graph.nodes.map((n) => n.key)).toEqual(['a', 'r', 'r->a']);
  });
});

describe('graph: the Markdown picture of the changed neighbourhood', () => {
  it(`is capped at ${MARKDOWN_GRAPH_MAX_NODES} entities, says how many were left out and how to draw them all`, () => {
    const hooks = Array.from({ length: 40 }, (_, i) => d.webhook(`w${String(i).padStart(2, '0')}`));
    const plan = createPlan(desiredState(hooks), liveState([]), options());
    const lines = renderChangeGraphMarkdown(buildTopology({ plan }), {
      drawAllCommand: 'm3ter-config graph X',
    });
    expect(lines[0]).toBe('```mermaid');
    expect(lines.join('\n').match(/^ {4}n\d+\[/gm)).toHaveLength(MARKDOWN_GRAPH_MAX_NODES);
    expect(lines.at(-1)).toBe(
      `10 more entities are not drawn (at most ${MARKDOWN_GRAPH_MAX_NODES} are); draw them all with \`m3ter-config graph X\`.`,
    );
  });

  it('keeps the changed entities first, then their nearest neighbours', () => {
    const desired = desiredState([
      d.webhook('hub'),
      ...Array.from({ length: 5 }, (_, i) => d.rule(`r${i}`)),
      ...Array.from({ length: 5 }, (_, i) => d.link(`r${i}`, 'hub')),
    ]);
    const live = liveState([l.webhook('hub'), ...Array.from({ length: 5 }, (_, i) => l.rule(`r${i}`))]);
    const plan = createPlan(desired, live, options());
    const lines = renderChangeGraphMarkdown(buildTopology({ plan }), { drawAllCommand: 'x', maxNodes: 6 });
    const text = lines.join('\n');
    for (let i = 0; i < 5; i++) expect(text).toContain(`"+ r${i}-#62;hub"`);
    expect(text.match(/^ {4}n\d+\[/gm)).toHaveLength(6);
    expect(lines.at(-1)).toMatch(/^5 more entities are not drawn/);
  });

  it('plan --format markdown embeds it; an empty plan draws nothing', () => {
    const desired = desiredState([d.webhook('a'), d.rule('r'), d.link('r', 'a')]);
    const md = renderPlan(createPlan(desired, liveState([]), options()), {
      format: 'markdown',
      color: false,
    });
    expect(md).toContain('```mermaid\nflowchart LR');
    expect(md).toContain('"+ r-#62;a"');
    const empty = renderPlan(createPlan(desiredState([]), liveState([]), options()), {
      format: 'markdown',
      color: false,
    });
    expect(empty).not.toContain('mermaid');
  });

  it('a drift report draws from a set of changed keys, with live entities the files do not declare', () => {
    const desired = desiredState([d.webhook('a'), d.rule('r'), d.link('r', 'a')]);
    const live = liveState([
      l.webhook('a'),
      l.rule('r'),
      l.link('r', 'a'),
      l.rule('manual'),
      l.link('manual', 'a'),
    ]);
    const lines = renderChangedKeysMarkdown(
      { desired: desired.resources, live: live.resources },
      [
        { kind: 'webhook', key: 'a' },
        { kind: 'link', key: 'manual->a', change: 'delete' },
      ],
      { drawAllCommand: 'm3ter-config graph --plan' },
    );
    const text = lines.join('\n');
    expect(text).toContain('"~ a<br/>Webhook a"');
    expect(text).toContain('"- manual-#62;a"');
    expect(text).toContain('"manual<br/>Rule manual<br/>(not declared)"');
  });
});

describe('graph: derived from the kind registry', () => {
  it('no module of the picture names a kind: every kind is drawn through REFERENCES alone', () => {
    const dir = path.join(ROOT, 'src/render/graph');
    const files = [
      ...readdirSync(dir).map((f) => path.join(dir, f)),
      path.join(ROOT, 'src/workflow/graph.ts'),
      path.join(ROOT, 'src/cli/commands/graph.ts'),
    ];
    for (const file of files) {
      // Code only: comments may give examples.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const kind of KINDS)
        expect(text, `${file} names ${kind}`).not.toMatch(new RegExp(`['"\`]${kind}['"\`]`));
    }
  });
});

describe("the README's picture of the quickstart", () => {
  it('is what scripts/generate-readme-graph.ts draws now (run `npm run generate:readme-graph`)', async () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toBe(await withQuickstartGraph(readme));
    expect(readme).toContain('```mermaid\nflowchart LR\n');
    // The limits it documents are the code's.
    expect(readme).toContain(`at most ${MARKDOWN_GRAPH_MAX_NODES} boxes`);
    expect(readme).toContain(`longer\n  than ${MAX_LABEL_CHARS} characters`);
  });
});

describe('Graphviz loads only for an SVG', () => {
  it('the one import of @hpcc-js/wasm-graphviz under src/ is dynamic, in the SVG function', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
      );
    const uses = walk(path.join(ROOT, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^.*@hpcc-js\/wasm-graphviz.*$/gm)].map((m) => [
        path.relative(ROOT, file),
        m[0].trim(),
      ]),
    );
    expect(uses).toEqual([
      ['src/workflow/graph.ts', "const { Graphviz } = await import('@hpcc-js/wasm-graphviz');"],
    ]);
  });
});

describe('mermaidOverLimits', () => {
  it("is silent within Mermaid's default limits and names both numbers past either", () => {
    const arrows = (n: number): string =>
      ['flowchart LR', ...Array.from({ length: n }, (_, i) => `  n${i} --> n${i + 1}`)].join('\n');
    expect(mermaidOverLimits(arrows(500))).toBeUndefined();
    expect(mermaidOverLimits(arrows(501))).toMatch(
      /^the Mermaid picture has 501 arrows and \d+ characters, over/,
    );
    const long = `flowchart LR\n  %% ${'x'.repeat(50_000)}`;
    expect(mermaidOverLimits(long)).toContain(`0 arrows and ${long.length} characters`);
    expect(mermaidOverLimits(long.slice(0, 50_000))).toBeUndefined();
  });
});
