import { parseArgs } from 'node:util';
import { FAULT_KINDS, type EmulatorOptions, type FaultKind, startEmulator } from '../../emulator/index.js';
import type { Command, CommandContext } from '../command.js';

const USAGE = `Usage: m3ter-config emulator [options]

Run a local emulator of the m3ter Config API (webhooks, notification rules, integration configurations,
integration credentials, event types) until interrupted.

Options:
  --host H            interface to bind (default 127.0.0.1)
  --port N            port, 0 for a free one (default 0)
  --state FILE        persist the org to this JSON file (default: in memory)
  --org-id ID         organization id (env M3TER_ORG_ID; default a fixed local id)
  --api-key K         access key id accepted (env M3TER_API_KEY; default local-access-key)
  --api-secret S      API secret accepted (env M3TER_API_SECRET; default local-api-secret)
  --rate-limit N      requests per second per organization, 0 for none (default 50)
  --latency MS        latency added to every request (default 0)
  --fault-rate R      probability 0..1 of an injected fault per API request (default 0)
  --fault-kinds LIST  comma-separated: ${FAULT_KINDS.join(',')} (default all)
  --seed N            seed of the fault sequence (default 1)
  --token-ttl S       token lifetime in seconds (default 18000)
  -h, --help          show this help`;

class UsageError extends Error {}

function toNumber(flag: string, raw: string | undefined, check: (n: number) => boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new UsageError(`invalid value for --${flag}: '${raw}'`);
  return n;
}

function buildOptions(ctx: CommandContext): EmulatorOptions | 'help' {
  const { values } = parseArgs({
    args: ctx.argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      state: { type: 'string' },
      'org-id': { type: 'string' },
      'api-key': { type: 'string' },
      'api-secret': { type: 'string' },
      'rate-limit': { type: 'string' },
      latency: { type: 'string' },
      'fault-rate': { type: 'string' },
      'fault-kinds': { type: 'string' },
      seed: { type: 'string' },
      'token-ttl': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const int = (n: number) => Number.isInteger(n);
  const opts: { -readonly [K in keyof EmulatorOptions]: EmulatorOptions[K] } = {};
  const set = <K extends keyof EmulatorOptions>(key: K, value: EmulatorOptions[K] | undefined): void => {
    if (value !== undefined) opts[key] = value;
  };
  set('host', values.host);
  set(
    'port',
    toNumber('port', values.port, (n) => int(n) && n >= 0 && n <= 65535),
  );
  set('statePath', values.state);
  set('orgId', values['org-id'] ?? (ctx.env['M3TER_ORG_ID'] || undefined));
  set('apiKey', values['api-key'] ?? (ctx.env['M3TER_API_KEY'] || undefined));
  set('apiSecret', values['api-secret'] ?? (ctx.env['M3TER_API_SECRET'] || undefined));
  set(
    'rateLimit',
    toNumber('rate-limit', values['rate-limit'], (n) => int(n) && n >= 0),
  );
  set(
    'latencyMs',
    toNumber('latency', values.latency, (n) => n >= 0),
  );
  set(
    'faultRate',
    toNumber('fault-rate', values['fault-rate'], (n) => n >= 0 && n <= 1),
  );
  set('seed', toNumber('seed', values.seed, int));
  set(
    'tokenTtlSeconds',
    toNumber('token-ttl', values['token-ttl'], (n) => n > 0),
  );
  if (values['fault-kinds'] !== undefined) {
    const kinds = values['fault-kinds']
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    for (const k of kinds) {
      if (!(FAULT_KINDS as readonly string[]).includes(k)) {
        throw new UsageError(`unknown fault kind '${k}' (known: ${FAULT_KINDS.join(', ')})`);
      }
    }
    opts.faultKinds = kinds as FaultKind[];
  }
  return opts;
}

/** `m3ter-config emulator`: runs the m3ter API emulator until ctx.signal aborts. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run a local m3ter API emulator',
  usage: USAGE,
  async run(ctx: CommandContext): Promise<number> {
    let options: EmulatorOptions | 'help';
    try {
      options = buildOptions(ctx);
    } catch (e) {
      ctx.stderr.write(`m3ter-config emulator: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
      return 1;
    }
    if (options === 'help') {
      ctx.stdout.write(`${USAGE}\n`);
      return 0;
    }
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    try {
      emulator = await startEmulator(options);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ctx.stderr.write(`m3ter-config emulator: ${message}\n`);
      return 1;
    }
    // A secret taken from M3TER_API_SECRET may be a real org's: never echo it (the user has it exported already).
    const secretFromEnv =
      !ctx.argv.some((a) => a === '--api-secret' || a.startsWith('--api-secret=')) &&
      Boolean(ctx.env['M3TER_API_SECRET']);
    ctx.stdout.write(
      [
        `m3ter emulator listening on ${emulator.url}`,
        `  org id:     ${emulator.orgId}`,
        `  access key: ${emulator.apiKey}`,
        secretFromEnv
          ? '  api secret: (from M3TER_API_SECRET, not shown)'
          : `  api secret: ${emulator.apiSecret}`,
        options.statePath ? `  state file: ${options.statePath}` : '  state:      in memory',
        '',
        'In another shell:',
        `  export M3TER_BASE_URL=${emulator.url}`,
        `  export M3TER_ORG_ID=${emulator.orgId}`,
        `  export M3TER_API_KEY=${emulator.apiKey}`,
        secretFromEnv
          ? '  # M3TER_API_SECRET: keep the value already set in your environment'
          : `  export M3TER_API_SECRET=${emulator.apiSecret}`,
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    if (!ctx.signal.aborted) {
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    await emulator.close();
    ctx.stdout.write('m3ter emulator stopped\n');
    return 0;
  },
};
