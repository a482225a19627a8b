import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/model/kinds.js';
import type { DesiredState } from '../../../src/model/state.js';
import { parseEnvFile } from '../../../src/load/index.js';
import { createPlan } from '../../../src/plan/index.js';
import { buildTopology, renderGraph } from '../../../src/render/graph/index.js';
import { renderPlan } from '../../../src/render/plan.js';
import { renderSvg } from '../../../src/workflow/graph.js';
import { validate } from '../../../src/workflow/validate.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';
import { escapeText } from '../../../src/render/escape.js';
import { shorten } from '../../../src/render/graph/look.js';
import { HOSTILE_VALUES } from './hostile-values.js';

/**
 * Every Mermaid block the project emits is parsed by Mermaid's own parser, every DOT by Graphviz: the goldens
 * (graph, plan and any other report's, so a new report's Mermaid is checked as soon as it has a golden), the README,
 * and pictures of the hostile-names fixture. Mermaid needs a DOM: jsdom's globals are set before it is imported,
 * once for the file.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const HOSTILE = path.join(ROOT, 'test/fixtures/graph-hostile');

interface MermaidApi {
  parse(text: string): Promise<{ diagramType: string; config: object }>;
  mermaidAPI: {
    getDiagramFromText(text: string): Promise<{
      db: {
        getVertices(): Map<string, { id: string; text: string }>;
        getEdges(): unknown[];
        getSubGraphs(): { id: string; title: string }[];
        getTooltip?(id: string): string | undefined;
      };
    }>;
  };
}

let mermaid: MermaidApi;
let graphviz: Awaited<ReturnType<typeof Graphviz.load>>;

beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = ((await import('mermaid')) as unknown as { default: MermaidApi }).default;
  graphviz = await Graphviz.load();
}, 60_000);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

const GOLDEN = walk(path.join(ROOT, 'test/golden'));

async function load(dir: string, envFile?: string): Promise<DesiredState> {
  const env = envFile ? parseEnvFile(readFileSync(envFile, 'utf8')).env : {};
  const result = await validate([dir], { env, cwd: ROOT });
  return result.state as DesiredState;
}

/** Mermaid's entity placeholders (it decodes them when drawing) back to characters. */
function decoded(text: string): string {
  return text.replace(/ﬂ°°(\d+)¶ß/g, (_m, n: string) => String.fromCodePoint(Number(n)));
}

async function expectMermaidParses(text: string, where: string): Promise<void> {
  const result = await mermaid.parse(text);
  expect(result.diagramType, where).toBe('flowchart-v2');
  expect(result.config, `${where}: no directive took effect`).toEqual({});
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  const ids = [...db.getVertices().keys()];
  expect(
    ids.every((id) => /^[nl]\d+$/.test(id)),
    `${where}: only generated ids`,
  ).toBe(true);
  for (const id of ids) expect(db.getTooltip?.(id), `${where}: no tooltip or click`).toBeUndefined();
  expect(db.getEdges().length, where).toBe(text.match(/^ {2}n\d+ (-->|==>|-\.->)/gm)?.length ?? 0);
  expect(db.getSubGraphs().every((s) => /^(g\d+|legend)$/.test(s.id))).toBe(true);
}

describe('every Mermaid block parses with Mermaid', () => {
  it('the goldens (.mmd files and the Mermaid blocks of .md files) and the README', async () => {
    const texts: [string, string][] = [];
    for (const file of GOLDEN) {
      if (file.endsWith('.mmd')) texts.push([file, readFileSync(file, 'utf8')]);
      if (file.endsWith('.md'))
        for (const b of mermaidBlocks(readFileSync(file, 'utf8'))) texts.push([file, b]);
    }
    for (const b of mermaidBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8')))
      texts.push(['README', b]);
    expect(texts.filter(([f]) => f.endsWith('.mmd')).length).toBeGreaterThanOrEqual(3);
    expect(texts.some(([f]) => f.endsWith('representative.md'))).toBe(true);
    for (const [file, text] of texts) await expectMermaidParses(text, path.relative(ROOT, file));
  });

  it('hostile names: each label parses as one label and reads back as the text meant', async () => {
    const state = await load(HOSTILE, path.join(HOSTILE, 'hostile.env'));
    const graph = buildTopology({ desired: state.resources });
    const text = renderGraph(graph, 'mermaid');
    await expectMermaidParses(text, 'hostile graph');
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    const labels = [...db.getVertices().values()]
      .filter((v) => v.id.startsWith('n'))
      .map((v) => decoded(v.text));
    expect(labels).toHaveLength(graph.nodes.length);
    expect(labels[2]).toMatch(/^hostile_hook<br>Evil"\] --> n1\\u000Aclick…/);
    expect(labels.join('\n')).toContain('\\u202E');
    // The plan of the same files (all creates) in a pull-request comment.
    const plan = createPlan(state, liveState([]), options());
    const md = renderPlan(plan, { format: 'markdown', color: false });
    const blocks = mermaidBlocks(md);
    expect(blocks).toHaveLength(1);
    for (const b of blocks) await expectMermaidParses(b, 'hostile plan markdown');
  });
});

describe('hostile values in Mermaid labels', () => {
  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v).slice(0, 60), v]))(
    'stay one label each, read back as the text meant, with no directive, callback or markup: %s',
    async (_name, v) => {
      const desired = desiredState([
        d.webhook(v, { name: `N ${v}` }),
        d.rule(v, { name: `R ${v}` }),
        d.link(v, v),
      ]);
      const plan = createPlan(desired, liveState([l.webhook(`${v}-old`, { name: `O ${v}` })]), options());
      const graph = buildTopology({ desired: desired.resources, plan });
      const md = renderPlan(plan, { format: 'markdown', color: false });
      const texts: [string, string][] = [
        ['graph', renderGraph(graph, 'mermaid')],
        ...mermaidBlocks(md).map((b): [string, string] => ['plan markdown', b]),
      ];
      expect(texts).toHaveLength(2);
      for (const [where, text] of texts) {
        await expectMermaidParses(text, where);
        const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
        // Mermaid trims the spaces at the end of a label.
        const labels = [...db.getVertices().values()]
          .filter((x) => x.id.startsWith('n'))
          .map((x) => decoded(x.text));
        const trimmed = (t: string): string => t.replace(/ +(<br>|$)/g, '$1');
        expect(labels, where).toHaveLength(4);
        const shown = (t: string): string => shorten(escapeText(t, { newlines: false }));
        expect(labels.map(trimmed), where).toContain(trimmed(`+ ${shown(v)}<br>${shown(`N ${v}`)}`));
        expect(labels.map(trimmed), where).toContain(trimmed(`- ${shown(`${v}-old`)}<br>${shown(`O ${v}`)}`));
        expect(labels.join(' '), where).not.toMatch(/[\n\r\u2028\u2029\u202E]/);
      }
    },
  );
});

describe('every DOT parses with Graphviz', () => {
  it('the goldens and the hostile names, marked by a plan', async () => {
    const dots = GOLDEN.filter((f) => f.endsWith('.dot')).map((f) => [f, readFileSync(f, 'utf8')] as const);
    expect(dots.length).toBeGreaterThanOrEqual(3);
    const state = await load(HOSTILE, path.join(HOSTILE, 'hostile.env'));
    const plan = createPlan(state, liveState([]), options());
    const marked = renderGraph(buildTopology({ desired: state.resources, plan }), 'dot');
    for (const [file, text] of [...dots, ['hostile plan', marked] as const]) {
      // Graphviz throws on a syntax error; `canon` re-reads the graph, and its nodes are exactly ours.
      const canon = graphviz.dot(text, 'canon');
      const nodes = [...canon.matchAll(/^\t+([nl]\d+)\t\[/gm)].map((m) => m[1]);
      expect(nodes.length, file).toBe(text.match(/^ {4}[nl]\d+ \[/gm)?.length);
    }
  });

  it("the quickstart's SVG names every entity", async () => {
    const state = await load(path.join(ROOT, 'examples/quickstart'));
    const svg = await renderSvg(renderGraph(buildTopology({ desired: state.resources }), 'dot'));
    expect(svg).toMatch(/^<\?xml[\s\S]*<\/svg>\s*$/);
    // The SVG's text and tooltips, XML entities decoded (Graphviz writes `-` as `&#45;`).
    const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>|xlink:title="([^"]*)"/g)]
      .map((m) => (m[1] ?? m[2]) as string)
      .join('\n')
      .replace(/&#(\d+);/g, (_m, c: string) => String.fromCodePoint(Number(c)))
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    let n = 0;
    for (const kind of KINDS) {
      for (const key of state.resources[kind].keys()) {
        expect(text, key).toContain(key);
        n++;
      }
    }
    expect(n).toBe(5);
  });
});
