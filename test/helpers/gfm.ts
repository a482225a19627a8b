import { JSDOM } from 'jsdom';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/**
 * Markdown as GitHub and GitLab would make it into a page: GFM (tables, autolink literals: bare URLs, `www.` and
 * e-mail addresses) by micromark, raw HTML let through as those sites let through the harmless part of it, and
 * the HTML read back by jsdom. GitHub also links `@name` and `#123` in text; micromark does not, so
 * {@link markdownEffects} looks for them in every text node outside code.
 */

interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly parentNode: DomNode | null;
}

/** The elements our reports write themselves. Any other (a link, an image, `<b>`, `<script>`) came from data. */
const OURS = new Set([
  'H3',
  'H4',
  'P',
  'STRONG',
  'EM',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'UL',
  'LI',
  'BR',
  'DETAILS',
  'SUMMARY',
]);

/** What GitHub turns into a mention, an issue reference or a link in text. */
const LINKABLE = /@[A-Za-z0-9]|#\d|[a-z][a-z0-9+.-]*:\/\/|www\.|[A-Za-z0-9]@[A-Za-z0-9]/i;

function insideCode(node: DomNode): boolean {
  for (let p = node.parentNode; p; p = p.parentNode)
    if (p.nodeName === 'CODE' || p.nodeName === 'PRE') return true;
  return false;
}

export function renderGfm(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/**
 * What the rendered Markdown makes of anything but our own words: elements we do not write, HTML comments, and text
 * outside code that GitHub would link or that holds `marker` (a word every hostile value carries). Empty when the
 * data stayed data. Also returns the text of every code element, to check the values arrived whole.
 */
export function markdownEffects(markdown: string, marker = 'evil'): { problems: string[]; code: string[] } {
  const dom = new JSDOM(`<!doctype html><html><body>${renderGfm(markdown)}</body></html>`);
  const body = (dom.window.document as { body: DomNode }).body;
  const problems: string[] = [];
  const code: string[] = [];
  const walk = (node: DomNode): void => {
    if (node.nodeType === 8) problems.push(`an HTML comment: ${node.textContent ?? ''}`);
    if (node.nodeType === 1) {
      if (!OURS.has(node.nodeName)) problems.push(`an element <${node.nodeName.toLowerCase()}>`);
      if (node.nodeName === 'CODE') code.push(node.textContent ?? '');
    }
    if (node.nodeType === 3 && !insideCode(node)) {
      const text = node.textContent ?? '';
      if (LINKABLE.test(text)) problems.push(`linkable text outside code: ${JSON.stringify(text)}`);
      if (text.toLowerCase().includes(marker)) problems.push(`data outside code: ${JSON.stringify(text)}`);
    }
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i] as DomNode);
  };
  for (let i = 0; i < body.childNodes.length; i++) walk(body.childNodes[i] as DomNode);
  return { problems, code };
}
