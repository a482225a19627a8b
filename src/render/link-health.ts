import { type LinkHealth, REENABLE_COMMAND } from '../model/link-health.js';
import { redactUrlsIn } from '../model/redact.js';
import { canonicalJson } from './canonical-json.js';
import { escapeText } from './escape.js';

/** The label of a link the files declare active that m3ter holds disabled, in drift and in plan. */
export const DISABLED_BY_M3TER = 'disabled by m3ter';

/** An m3ter text inside our words: a JSON literal, escaped for a terminal, URL user info masked. */
function literal(text: string): string {
  return escapeText(canonicalJson(redactUrlsIn(text)), { newlines: false });
}

/**
 * What m3ter's records say about a disabled link, as lines of our words with m3ter's texts as JSON literals: the last
 * failed run, or why it is not known, and how to re-enable the link. Shared by the drift report and the plan.
 */
export function healthLines(health: LinkHealth): string[] {
  const lines: string[] = [];
  const run = health.lastFailedRun;
  if (run)
    lines.push(
      `last failed run: ${literal(run.status)}${run.at === null ? '' : ` at ${literal(run.at)}`}, error ${run.error === null ? '(none given)' : literal(run.error)}`,
    );
  else if (health.runsUnavailable !== null)
    lines.push(
      `why is not known: m3ter's integration runs could not be read (${literal(health.runsUnavailable)})`,
    );
  else lines.push("why is not known: m3ter's integration runs list no failed delivery for it");
  lines.push(
    `re-enable: fix the webhook's receiver, then ${REENABLE_COMMAND} (it sends ${literal(health.reenableRequest)})`,
  );
  return lines;
}

/**
 * The same in a Markdown table cell: our words, m3ter's texts through `cell` (code spans: never a link, a mention or
 * markup), lines joined by `<br>`.
 */
export function healthCell(health: LinkHealth, cell: (text: string) => string): string {
  const run = health.lastFailedRun;
  const why = run
    ? `last failed run: ${cell(run.status)}${run.at === null ? '' : ` at ${cell(run.at)}`}, error ${run.error === null ? '(none given)' : cell(run.error)}`
    : health.runsUnavailable !== null
      ? `why is not known: m3ter's integration runs could not be read (${cell(health.runsUnavailable)})`
      : "why is not known: m3ter's integration runs list no failed delivery for it";
  return `${why}<br>re-enable: fix the webhook's receiver, then ${cell(REENABLE_COMMAND)} (it sends ${cell(health.reenableRequest)})`;
}
