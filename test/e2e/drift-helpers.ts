import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { INTEGRATIONS, QUICKSTART, runCli, tempDir } from './run-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the emulator's replies ad hoc */
/** The "Console user" of the drift tests: a second service user of the emulator, whose edits drift must name. */
export const CONSOLE_USER = { apiKey: 'console-user', apiSecret: 'console-user-secret' } as const;
export const CONSOLE_AUDIT_NAME = `SERVICE_USER_${CONSOLE_USER.apiKey}`;

export interface DriftOrg {
  emu: RunningEmulator;
  /** A copy of the quickstart folder, the CLI's working directory. */
  cwd: string;
  /** Runs the CLI against the emulator as the main user. */
  cli(args: string[], extraEnv?: Record<string, string>): ReturnType<typeof runCli>;
  /** Calls the org's API as the Console user; `orgPath` is relative to the org, e.g. `/notifications/configurations`. */
  asConsoleUser(method: string, orgPath: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The list at `orgPath`, as the Console user. */
  list(orgPath: string): Promise<any[]>;
  /** The Console user edits the notification rule with this code; answers the rule as it was before. */
  editRule(code: string, changes: Record<string, unknown>): Promise<any>;
  /** The Console user creates a notification rule no file declares; answers it. */
  addRule(code: string): Promise<any>;
  close(): Promise<void>;
}

/**
 * An emulator on loopback with a second user, and a copy of the quickstart to run the CLI in, with the integrations
 * example added to its m3ter.yaml and quickstart.env, so drift meets every kind.
 */
export async function startDriftOrg(): Promise<DriftOrg> {
  const emu = await startEmulator({ port: 0, rateLimit: 0, users: [CONSOLE_USER] });
  const cwd = tempDir();
  cpSync(QUICKSTART, cwd, { recursive: true });
  for (const [from, to] of [
    ['m3ter.yaml', 'm3ter.yaml'],
    ['integrations.env', 'quickstart.env'],
  ] as const) {
    const body = readFileSync(path.join(INTEGRATIONS, from), 'utf8').replace(/^(#.*\n|\n)*/, '');
    appendFileSync(path.join(cwd, to), `\n${body}`);
  }
  const env = {
    M3TER_BASE_URL: emu.url,
    M3TER_ORG_ID: emu.orgId,
    M3TER_API_KEY: emu.apiKey,
    M3TER_API_SECRET: emu.apiSecret,
  };
  let token: string | undefined;
  const asConsoleUser = async (method: string, orgPath: string, body?: unknown) => {
    if (!token) {
      const basic = Buffer.from(`${CONSOLE_USER.apiKey}:${CONSOLE_USER.apiSecret}`).toString('base64');
      const r = await fetch(`${emu.url}/oauth/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
        body: '{"grant_type":"client_credentials"}',
      });
      token = ((await r.json()) as { access_token: string }).access_token;
    }
    const r = await fetch(`${emu.url}/organizations/${emu.orgId}${orgPath}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const list = async (orgPath: string) =>
    (await asConsoleUser('GET', `${orgPath}?pageSize=100`)).body.data as any[];
  const expectOk = (r: { status: number; body: any }) => {
    if (r.status !== 200) throw new Error(`the emulator answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    emu,
    cwd,
    cli: (args, extraEnv = {}) =>
      runCli([...args, '--env-file', 'quickstart.env'], { cwd, env: { ...env, ...extraEnv } }),
    asConsoleUser,
    list,
    editRule: async (code, changes) => {
      const rule = (await list('/notifications/configurations')).find((r) => r.code === code);
      const path = `/notifications/configurations/${rule.id}`;
      expectOk(await asConsoleUser('PUT', path, { ...rule, ...changes }));
      return rule;
    },
    addRule: async (code) =>
      expectOk(
        await asConsoleUser('POST', '/notifications/configurations', {
          code,
          name: `Console rule ${code}`,
          description: 'Made in the Console',
          eventName: 'billing.bill.updated',
        }),
      ),
    close: () => emu.close(),
  };
}

/** The report's items as `class kind key` lines, for exact comparisons. */
export function itemLines(report: { items: { class: string; kind: string; key: string }[] }): string[] {
  return report.items.map((i) => `${i.class} ${i.kind} ${i.key}`);
}

export { path };
