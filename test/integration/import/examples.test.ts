import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';
import { KINDS } from '../../../src/model/kinds.js';
import type { DesiredState } from '../../../src/model/state.js';
import { applyAndConverge, type Org, startOrg } from '../../helpers/converge.js';
import { importAndRoundTrip, sessionOf } from './helpers.js';

/**
 * The examples round-trip: apply one to a fresh org, import that org into a fresh folder, and the imported files
 * declare the same entities with the same attributes, and plan empty with the example's secret values.
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('examples survive apply, import, plan', () => {
  for (const name of ['quickstart', 'integrations', 'gitops']) {
    it(`examples/${name}`, async () => {
      const dir = path.join('examples', name);
      const envFiles = readdirSync(path.join(REPO, dir))
        .filter((f) => f.endsWith('.env'))
        .map((f) => path.join(dir, f));
      const loaded = await loadConfig([dir], { env: {}, cwd: REPO, envFiles });
      const example = loaded.state as DesiredState;
      org = await startOrg();
      await applyAndConverge(org.client, example);

      const session = sessionOf(org.emulator, org.client);
      const { desired } = await importAndRoundTrip(session, {
        // Each imported variable gets the value the example applied, so the webhooks' fingerprints match.
        secretValue: (s) => example.resources[s.kind].get(s.key)?.secrets?.[s.field]?.reveal() ?? 'missing',
        adopts: false,
      });
      for (const kind of KINDS) {
        expect([...desired.resources[kind].keys()].sort()).toEqual(
          [...example.resources[kind].keys()].sort(),
        );
        for (const [key, want] of example.resources[kind])
          expect(desired.resources[kind].get(key)?.attributes).toEqual(want.attributes);
      }
    });
  }
});
