import {
  FAULT_KINDS,
  type EmulatorOptions,
  type FaultKind,
  isLoopbackHost,
  ORG_TYPES,
  type OrgType,
  startEmulator,
  USERS_ME_MODES,
  type UsersMeMode,
} from '../../emulator/index.js';
import { parseCollectionPath } from '../../live/paths.js';
import { defineCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { type OptionValues, UsageError, write } from '../options.js';
import { untilStopped } from './shared.js';

const OPTIONS = {
  host: {
    type: 'string',
    value: 'H',
    help: 'interface to bind (default 127.0.0.1); any other than loopback needs --api-key and --api-secret',
  },
  'allow-host': {
    type: 'string',
    multiple: true,
    value: 'NAME',
    help: 'one more name requests may give as Host (a CI service container name); repeatable',
  },
  port: { type: 'string', value: 'N', help: 'port, 0 for a free one (default 0)' },
  'state-file': {
    type: 'string',
    value: 'FILE',
    help: 'persist the org to this JSON file (default: in memory)',
    aliases: ['state'],
  },
  'org-id': {
    type: 'string',
    value: 'ID',
    help: 'organization id (env M3TER_ORG_ID; default a fixed local id)',
  },
  'org-type': {
    type: 'string',
    value: 'PRODUCTION|SANDBOX',
    help: 'the kind of org, as GET users/me answers organization.type (default SANDBOX)',
  },
  'users-me': {
    type: 'string',
    value: 'MODE',
    help: `how GET users/me answers: ${USERS_ME_MODES.join('|')} (404, 403, 500; default served)`,
  },
  'api-key': {
    type: 'string',
    value: 'K',
    help: 'access key id accepted (env M3TER_API_KEY; default local-access-key)',
  },
  'api-secret': {
    type: 'string',
    value: 'S',
    help: 'API secret accepted (env M3TER_API_SECRET; default local-api-secret)',
  },
  user: {
    type: 'string',
    multiple: true,
    value: 'KEY:SECRET',
    help: 'one more service user, its own user in audit fields (createdBy, lastModifiedBy); repeatable',
  },
  'rate-limit': {
    type: 'string',
    value: 'N',
    help: 'requests per second per organization, 0 for none (default 50)',
  },
  latency: { type: 'string', value: 'MS', help: 'latency added to every request (default 0)' },
  'fault-rate': {
    type: 'string',
    value: 'R',
    help: 'probability 0..1 of an injected fault per API request (default 0)',
  },
  'fault-kinds': {
    type: 'string',
    value: 'LIST',
    help: `comma-separated: ${FAULT_KINDS.join(',')} (default all)`,
  },
  seed: { type: 'string', value: 'N', help: 'seed of the fault sequence (default 1)' },
  'token-ttl': { type: 'string', value: 'S', help: 'token lifetime in seconds (default 18000)' },
  'credentials-path': {
    type: 'string',
    value: 'PATH',
    help: 'path of the integration credentials API under /organizations/{orgId}/, unpublished by m3ter (default integrationcredentials)',
  },
  'delivery-targets': {
    type: 'string',
    value: 'loopback|any',
    help: 'where webhook deliveries may go (default loopback: 127.0.0.1, ::1, localhost)',
  },
} as const;

function toNumber(flag: string, raw: string | undefined, check: (n: number) => boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new UsageError(`invalid value for --${flag}: '${raw}'`);
  return n;
}

function buildOptions(values: OptionValues<typeof OPTIONS>, env: NodeJS.ProcessEnv): EmulatorOptions {
  const int = (n: number) => Number.isInteger(n);
  const opts: { -readonly [K in keyof EmulatorOptions]: EmulatorOptions[K] } = {};
  const set = <K extends keyof EmulatorOptions>(key: K, value: EmulatorOptions[K] | undefined): void => {
    if (value !== undefined) opts[key] = value;
  };
  set('host', values.host);
  if (values['allow-host']) opts.allowHosts = values['allow-host'];
  set(
    'port',
    toNumber('port', values.port, (n) => int(n) && n >= 0 && n <= 65535),
  );
  set('statePath', values['state-file']);
  set('orgId', values['org-id'] ?? (env['M3TER_ORG_ID'] || undefined));
  set('orgType', parseOrgType(values['org-type']));
  const usersMe = values['users-me'];
  if (usersMe !== undefined && !(USERS_ME_MODES as readonly string[]).includes(usersMe))
    throw new UsageError(`--users-me must be one of ${USERS_ME_MODES.join(', ')} (got '${usersMe}')`);
  set('usersMeEndpoint', usersMe as UsersMeMode | undefined);
  set('apiKey', values['api-key'] ?? (env['M3TER_API_KEY'] || undefined));
  set('apiSecret', values['api-secret'] ?? (env['M3TER_API_SECRET'] || undefined));
  if (values.user) opts.users = values.user.map(parseUser);
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
  const credentialsPath = values['credentials-path'];
  if (credentialsPath !== undefined) {
    const segments = parseCollectionPath(credentialsPath);
    if (!segments)
      throw new UsageError(
        `--credentials-path takes a path such as integrationcredentials, not '${credentialsPath}'`,
      );
    opts.credentialsPath = segments.join('/');
  }
  const targets = values['delivery-targets'];
  if (targets !== undefined && targets !== 'loopback' && targets !== 'any')
    throw new UsageError(`--delivery-targets must be loopback or any (got '${targets}')`);
  set('deliveryTargets', targets);
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

/** `--org-type`, in any case: `production` is PRODUCTION. */
function parseOrgType(raw: string | undefined): OrgType | undefined {
  if (raw === undefined) return undefined;
  const type = ORG_TYPES.find((t) => t === raw.trim().toUpperCase());
  if (type === undefined) throw new UsageError(`--org-type must be ${ORG_TYPES.join(' or ')} (got '${raw}')`);
  return type;
}

/** `--user KEY:SECRET`: the access key is up to the first colon (a key never holds one); the rest is the secret. */
function parseUser(raw: string): { apiKey: string; apiSecret: string } {
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1)
    throw new UsageError('--user takes KEY:SECRET (an access key, a colon and its secret)');
  return { apiKey: raw.slice(0, colon), apiSecret: raw.slice(colon + 1) };
}

/** `m3ter-config emulator`: runs the m3ter API emulator until ctx.signal aborts or its parent goes away. */
export const emulatorCommand = defineCommand({
  name: 'emulator',
  summary: 'Run a local m3ter API emulator',
  synopsis: 'emulator [options]',
  description: `Run a local emulator of the m3ter Config API (webhooks, notification rules, integration configurations,
integration credentials, event types) until stopped: by SIGINT (Ctrl-C), SIGTERM or SIGHUP, or when the
process that started it (npx, a script, a test runner) goes away, or when a piped stdin is closed.`,
  options: OPTIONS,
  env: [
    ['M3TER_ORG_ID', 'organization id served (--org-id overrides)'],
    ['M3TER_API_KEY', 'access key id accepted (--api-key overrides)'],
    ['M3TER_API_SECRET', 'API secret accepted (--api-secret overrides); used, never printed'],
  ],
  exits: { ok: 'stopped by a signal or because its parent went away', error: true },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const options = buildOptions(values, ctx.env);
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    try {
      emulator = await startEmulator(options);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      write(ctx.stderr, `error: the emulator did not start: ${message}`);
      return EXIT.error;
    }
    if (!isLoopbackHost(options.host ?? '127.0.0.1'))
      write(
        ctx.stderr,
        `WARNING: the emulator listens on ${options.host}, not on loopback only: anyone who can reach this port can ` +
          'use its API with the credentials below. Its admin routes (/_emulator/*) answer loopback callers only.',
      );
    // Watching starts before the banner: whoever waits for it may stop us right after.
    const stopped = untilStopped(ctx);
    // A secret taken from M3TER_API_SECRET may be a real org's: never echo it (the user has it exported already).
    const secretFromEnv = values['api-secret'] === undefined && Boolean(ctx.env['M3TER_API_SECRET']);
    ctx.stdout.write(
      [
        `m3ter emulator listening on ${emulator.url}`,
        `  org id:     ${emulator.orgId}`,
        `  org type:   ${emulator.orgType}`,
        `  access key: ${emulator.apiKey}`,
        ...(options.users?.length
          ? [`  more users: ${options.users.map((u) => u.apiKey).join(', ')} (secrets as given)`]
          : []),
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
    const why = await stopped;
    await emulator.close();
    write(ctx.stdout, `m3ter emulator stopped (${why})`);
    return EXIT.ok;
  },
});
