import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const appRef = z.object({ id: z.string().min(1), clientSecret: z.string().min(1).optional() }).strict();

const LOCKOUT_OFF = { enabled: false, tooManyAttempts: 5, resetCountInSeconds: 60, actionDurationSeconds: 180 };

const embeddedIdentity = z
  .object({
    kind: z.literal('embedded'),
    /** FusionAuth answers a dead refresh token with 400; the seed's article draws 404. */
    deadRefreshTokenStatus: z.union([z.literal(400), z.literal(404)]).default(404),
    refreshTokenUsagePolicy: z.enum(['Reusable', 'OneTimeUse']).default('Reusable'),
    refreshTokenExpirationPolicy: z.enum(['Fixed', 'SlidingWindow']).default('Fixed'),
    /** OneTimeUse only: a replay of the token just rotated, this many seconds after, gets the new one back (FusionAuth 1.47+). */
    refreshTokenOneTimeUseGraceSeconds: z.number().int().min(0).max(86400).default(0),
    /**
     * FusionAuth's application `oauthConfiguration.scopeHandlingPolicy`, for both applications. `Strict` (the default
     * of new FusionAuth applications): access tokens carry no email claims, id tokens and userinfo follow the scopes,
     * userinfo takes only access tokens with `openid`. `Compatibility`: as FusionAuth before 1.50.
     */
    scopeHandlingPolicy: z.enum(['Strict', 'Compatibility']).default('Strict'),
    /**
     * Off, as in a default FusionAuth tenant (failed logins lock nobody until a login-preventing user action is configured).
     * On: that action, applied after tooManyAttempts failures within resetCountInSeconds, for actionDurationSeconds.
     */
    lockout: z
      .object({
        enabled: z.boolean().default(false),
        tooManyAttempts: z.number().int().min(1).max(1000).default(5),
        resetCountInSeconds: z.number().int().min(1).default(60),
        actionDurationSeconds: z.number().int().min(1).default(180),
      })
      .strict()
      .default(LOCKOUT_OFF),
  })
  .strict();

const fusionAuthIdentity = z
  .object({
    kind: z.literal('fusionauth'),
    url: z.url({ protocol: /^https?$/ }),
    internalUrl: z.url({ protocol: /^https?$/ }).optional(),
    apiKey: z.string().min(1),
    tenantId: z.string().min(1).optional(),
    applications: z.object({ store: appRef, forum: appRef }).strict(),
  })
  .strict();

export const configSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(9311),
    dataDir: z.string().min(1),
    web: z.boolean().default(false),
    open: z.boolean().default(true),
    dev: z.boolean().default(false),
    workflow: z.enum(['native-refresh', 'implicit-session']).default('native-refresh'),
    /** Serve only the embedded identity server (login.localhost) and a small inspector API: an "external FusionAuth" without docker. */
    identityOnly: z.boolean().default(false),
    /** With identityOnly: the port the store and forum run on, which the registered redirect URIs name. */
    appPort: z.number().int().min(1).max(65535).optional(),
    /** Chromium stores Secure cookies on http://*.localhost; express-session needs to be told. Shown in the inspector. */
    secureCookies: z.boolean().default(false),
    ttl: z
      .object({
        sessionIdleSeconds: z.number().int().positive().default(600),
        sessionAbsoluteSeconds: z.number().int().positive().default(8 * 3600),
        accessTokenSeconds: z.number().int().positive().default(300),
        refreshTokenMinutes: z.number().int().positive().default(60),
        ssoSessionSeconds: z.number().int().positive().default(3600),
      })
      .strict()
      .default({
        sessionIdleSeconds: 600,
        sessionAbsoluteSeconds: 8 * 3600,
        accessTokenSeconds: 300,
        refreshTokenMinutes: 60,
        ssoSessionSeconds: 3600,
      }),
    identity: z
      .discriminatedUnion('kind', [embeddedIdentity, fusionAuthIdentity])
      .default({
        kind: 'embedded',
        deadRefreshTokenStatus: 404,
        refreshTokenUsagePolicy: 'Reusable',
        refreshTokenExpirationPolicy: 'Fixed',
        refreshTokenOneTimeUseGraceSeconds: 0,
        scopeHandlingPolicy: 'Strict',
        lockout: LOCKOUT_OFF,
      }),
  })
  .strict()
  .superRefine((c, issues) => {
    if (c.appPort !== undefined && !c.identityOnly) {
      issues.addIssue({ code: 'custom', path: ['appPort'], message: 'is only used with --identity-only (it is the port the apps\' redirect URIs name)' });
    }
    if (c.identityOnly && c.identity.kind !== 'embedded') {
      issues.addIssue({ code: 'custom', path: ['identityOnly'], message: `serves the embedded identity server, so identity.kind must be embedded (it is ${c.identity.kind})` });
    }
    if (c.identityOnly && c.port !== 0 && c.port === (c.appPort ?? 9311)) {
      issues.addIssue({ code: 'custom', path: ['appPort'], message: `must differ from port ${c.port}: the identity server and the apps cannot share a port; start the identity server with another --port` });
    }
  });

export type LoginscopeConfig = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type IdentityConfig = LoginscopeConfig['identity'];

/** A bad value: one line naming the field and what is wrong. Start-up stops with exit code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'loginscope');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'loginscope');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'loginscope');
}

type Layer = Record<string, unknown>;

function isPlainObject(v: unknown): v is Layer {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Layer, over: Layer): Layer {
  const out: Layer = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? merge(out[key] as Layer, value) : value;
  }
  return out;
}

function setPath(target: Layer, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Layer;
  }
  node[keys.at(-1)!] = value;
}

/** Env and flag text becomes a number or boolean where it plainly is one; zod then names any field still wrong. */
function scalar(text: string, key?: string): unknown {
  if (key !== undefined && TEXT_KEYS.has(key)) return text;
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

/** Settings that are text whatever they look like (an API key or an id may be all digits). */
const TEXT_KEYS = new Set(['apiKey', 'id', 'clientSecret', 'tenantId', 'url', 'internalUrl', 'dataDir', 'workflow']);

/** Turns the desktop app's single-instance lock off (tests run several); a launcher switch, not config. */
export const SINGLE_INSTANCE_OFF_ENV = 'LOGINSCOPE_DISABLE_SINGLE_INSTANCE';
const LAUNCHER_ENV = [SINGLE_INSTANCE_OFF_ENV];

/** `LOGINSCOPE_IDENTITY__API_KEY` → identity.apiKey; `__` separates levels, `_` joins words. */
function envLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('LOGINSCOPE_') || LAUNCHER_ENV.includes(name) || value === undefined) continue;
    const dotted = name
      .slice('LOGINSCOPE_'.length)
      .toLowerCase()
      .split('__')
      .map((part) => part.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
      .join('.');
    setPath(layer, dotted, scalar(value, dotted.split('.').at(-1)));
  }
  return layer;
}

function cliLayer(argv: readonly string[]): Layer {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowNegative: true,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        web: { type: 'boolean' },
        open: { type: 'boolean' },
        dev: { type: 'boolean' },
        workflow: { type: 'string' },
        config: { type: 'string' },
        'identity-only': { type: 'boolean' },
        'app-port': { type: 'string' },
      },
    });
  } catch (err) {
    throw new ConfigError(`Command line: ${(err as Error).message}`);
  }
  const v = parsed.values;
  return {
    port: v.port === undefined ? undefined : scalar(v.port),
    dataDir: v['data-dir'],
    web: v.web,
    open: v.open,
    dev: v.dev,
    workflow: v.workflow,
    identityOnly: v['identity-only'],
    appPort: v['app-port'] === undefined ? undefined : scalar(v['app-port']),
    configFile: v.config,
  };
}

function fileLayer(file: string, required: boolean): Layer {
  if (!existsSync(file)) {
    if (required) throw new ConfigError(`Config file ${file} does not exist.`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`Config file ${file} must hold one JSON object.`);
  return parsed;
}

export function validateConfig(input: unknown, source = 'config'): LoginscopeConfig {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : '(top level)';
  throw new ConfigError(`Bad ${source}: ${field}: ${issue.message}`);
}

/** defaults < loginscope.config.json in the data dir (or --config) < env LOGINSCOPE_* < CLI flags. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoginscopeConfig {
  const cli = cliLayer(argv);
  const fromEnv = envLayer(env);
  const dataDir = (cli.dataDir ?? fromEnv.dataDir ?? defaultDataDir()) as string;
  if (typeof dataDir !== 'string' || dataDir === '') throw new ConfigError('Bad config: dataDir: must be a folder path');
  const explicitFile = (cli.configFile ?? fromEnv.configFile) as string | undefined;
  const file = fileLayer(explicitFile ? path.resolve(explicitFile) : path.join(dataDir, 'loginscope.config.json'), Boolean(explicitFile));
  const { configFile: _cf, ...cliRest } = cli;
  const { configFile: _ef, ...envRest } = fromEnv;
  const merged = merge(merge(merge({}, file), envRest), cliRest);
  merged.dataDir = path.resolve(dataDir);
  return validateConfig(merged);
}
