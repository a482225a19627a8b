import { readLinkHealth } from '../live/integration-runs.js';
import { KINDS } from '../model/kinds.js';
import { type LinkHealth, linksToExplain } from '../model/link-health.js';
import type { DesiredState, LiveState } from '../model/state.js';
import type { Session } from './session.js';

/**
 * What m3ter's integration runs say about each link the files declare active and m3ter holds disabled, by key.
 * Reads runs only for such links (none: no request), and only reads; see live/integration-runs.ts.
 */
export async function disabledLinkHealth(
  desired: DesiredState,
  live: LiveState,
  session: Session,
): Promise<Map<string, LinkHealth>> {
  const links = linksToExplain(desired, live);
  if (links.length === 0) return new Map();
  return readLinkHealth(session.client, links, fileSecrets(desired));
}

/** Every secret the files hold: redacted from m3ter's texts before they are shown. */
function fileSecrets(desired: DesiredState): string[] {
  const out: string[] = [];
  for (const kind of KINDS)
    for (const r of desired.resources[kind].values())
      for (const s of Object.values(r.secrets ?? {})) out.push(s.reveal());
  return out;
}
