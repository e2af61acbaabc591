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
/** `npm start` serves what out/ holds without building first (scripts/start.mjs); a launcher switch, not config. */
export const SKIP_BUILD_ENV = 'LOGINSCOPE_SKIP_BUILD';
const LAUNCHER_ENV = [SINGLE_INSTANCE_OFF_ENV, SKIP_BUILD_ENV];

/**
 * Every command-line flag, once: parsing, `--help` and the desktop app's argv filter (main/launch.ts) read this list.
 * `key` is the setting a flag sets; its environment variable follows from the key (envName).
 */
export const CLI_FLAGS = [
  { flag: 'port', type: 'string', arg: 'port', key: 'port', help: 'the port every origin is served on; 0 picks a free one' },
  { flag: 'data-dir', type: 'string', arg: 'folder', key: 'dataDir', help: 'the folder of the databases and loginscope.config.json' },
  { flag: 'config', type: 'string', arg: 'file', key: 'configFile', help: 'a config file (JSON) to read instead of the data dir\'s' },
  { flag: 'workflow', type: 'string', arg: 'id', key: 'workflow', help: 'the workflow shown first: native-refresh or implicit-session' },
  { flag: 'web', type: 'boolean', key: 'web', help: 'web mode even where Electron is installed: the pages open in your browser' },
  { flag: 'open', type: 'boolean', key: 'open', help: 'in web mode, open the pages in your browser (--no-open keeps it closed)' },
  { flag: 'dev', type: 'boolean', key: 'dev', help: 'serve the pages through Vite\'s dev server (hot reload)' },
  { flag: 'identity-only', type: 'boolean', key: 'identityOnly', help: 'serve only the embedded identity server, for another Loginscope' },
  { flag: 'app-port', type: 'string', arg: 'port', key: 'appPort', help: 'with --identity-only: the port of the apps its redirect URIs name' },
  { flag: 'help', type: 'boolean', help: 'print this help and exit' },
] as const satisfies ReadonlyArray<{ flag: string; type: 'string' | 'boolean'; arg?: string; key?: string; help: string }>;

type CliFlag = (typeof CLI_FLAGS)[number];

/** `identity.apiKey` → `LOGINSCOPE_IDENTITY__API_KEY`: `__` separates levels, `_` joins words (envLayer reads it back). */
export function envName(dotted: string): string {
  return `LOGINSCOPE_${dotted
    .split('.')
    .map((part) => part.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase())
    .join('__')}`;
}

/** `--help` (or `-h`) before a bare `--`: the launcher prints helpText() and exits 0, whatever else is on the line. */
export function helpRequested(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** What `--help` prints: every flag with its environment variable and default. */
export function helpText(env: NodeJS.ProcessEnv = process.env): string {
  const defaults = configSchema.parse({ dataDir: 'x' }) as Record<string, unknown>;
  const shown: Record<string, string> = {
    dataDir: env.LOGINSCOPE_DATA_DIR ? `${defaultDataDir()} (LOGINSCOPE_DATA_DIR is set: ${env.LOGINSCOPE_DATA_DIR})` : defaultDataDir(),
    configFile: '<data dir>/loginscope.config.json, if it exists',
    appPort: '9311',
  };
  const rows = CLI_FLAGS.map((f) => {
    const name = 'arg' in f ? `--${f.flag} <${f.arg}>` : f.flag === 'open' ? '--[no-]open' : `--${f.flag}`;
    const key = 'key' in f ? f.key : undefined;
    const extra = key ? `\n      env ${envName(key)}; default ${shown[key] ?? String(defaults[key])}` : '';
    return `  ${name}\n      ${f.help}${extra}`;
  });
  return [
    'Usage: npm start -- [options]   (or: node out/loginscope.mjs [options])',
    '',
    'Options (a flag wins over its environment variable, which wins over the config file):',
    ...rows,
    '',
    'Every other setting (secureCookies, ttl.*, identity.*) comes from the config file or the environment, for example',
    `  ${envName('secureCookies')}=true, ${envName('ttl.sessionIdleSeconds')}=120, ${envName('identity.kind')}=fusionauth`,
    'The README\'s Config section lists them. Exit codes: 0 clean stop, 2 bad config, port in use or data dir in use.',
  ].join('\n');
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The candidate closest to `wrong`, if it is close enough to be what was meant. */
export function closest(wrong: string, candidates: readonly string[]): string | undefined {
  const lower = wrong.toLowerCase();
  // A shortened name (sessionIdle for sessionIdleSeconds) is what was meant, however far the spelling.
  const extended = lower.length >= 3 ? candidates.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  if (extended.length === 1) return extended[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Where a value came from, for error lines: a flag, an environment variable or a file. */
type Source = { kind: 'flag'; flag: string } | { kind: 'env'; names: string[] } | { kind: 'file'; file: string };

const describe = (s: Source) =>
  s.kind === 'flag' ? `--${s.flag}` : s.kind === 'env' ? `environment variable${s.names.length > 1 ? 's' : ''} ${s.names.join(', ')}` : s.file;

/** One layer of settings and where it came from. Env layers remember which variable set which dotted key. */
interface SourcedLayer {
  values: Layer;
  sourceOf(dotted: string): Source;
}

function envLayer(env: NodeJS.ProcessEnv): SourcedLayer {
  const values: Layer = {};
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('LOGINSCOPE_') || LAUNCHER_ENV.includes(name) || value === undefined) continue;
    const dotted = name
      .slice('LOGINSCOPE_'.length)
      .toLowerCase()
      .split('__')
      .map((part) => part.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
      .join('.');
    setPath(values, dotted, scalar(value, dotted.split('.').at(-1)));
    names.set(dotted, name);
  }
  // A parent key (identity, for a missing identity.apiKey) was set by the variables below it.
  const namesOf = (dotted: string) => {
    const exact = names.get(dotted);
    if (exact) return [exact];
    const below = [...names].filter(([key]) => key.startsWith(`${dotted}.`)).map(([, name]) => name);
    return below.length > 0 ? below.sort() : [envName(dotted)];
  };
  return { values, sourceOf: (dotted) => ({ kind: 'env', names: namesOf(dotted) }) };
}

function cliLayer(argv: readonly string[]): SourcedLayer {
  rejectUnknownFlags(argv);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowNegative: true,
      options: Object.fromEntries(CLI_FLAGS.map((f) => [f.flag, { type: f.type }])),
    });
  } catch (err) {
    throw new ConfigError(`Command line: ${(err as Error).message}`);
  }
  const values: Layer = {};
  const flagOf = new Map<string, string>();
  for (const f of CLI_FLAGS) {
    const value = parsed.values[f.flag];
    if (!('key' in f) || value === undefined) continue;
    values[f.key] = typeof value === 'string' && f.key !== 'dataDir' && f.key !== 'configFile' ? scalar(value, f.key) : value;
    flagOf.set(f.key, f.flag);
  }
  return { values, sourceOf: (dotted) => ({ kind: 'flag', flag: flagOf.get(dotted.split('.')[0]!) ?? dotted }) };
}

/** An unknown `--flag` is named with the closest known one (parseArgs alone says only "Unknown option"). */
function rejectUnknownFlags(argv: readonly string[]): void {
  const byName = new Map<string, CliFlag>(CLI_FLAGS.map((f) => [f.flag, f]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0]!;
    const known = byName.get(name) ?? (name.startsWith('no-') && byName.get(name.slice(3))?.type === 'boolean' ? byName.get(name.slice(3)) : undefined);
    if (known) {
      if (known.type === 'string' && !arg.includes('=')) i++; // its value may itself start with --
      continue;
    }
    const suggestion = closest(name, [...byName.keys(), 'no-open']);
    const hint = suggestion ? `did you mean --${suggestion}?` : 'npm start -- --help lists every option';
    throw new ConfigError(`Command line: unknown option --${name} (${hint})`);
  }
}

function fileLayer(file: string, required: boolean): SourcedLayer {
  const layer = (values: Layer): SourcedLayer => ({ values, sourceOf: () => ({ kind: 'file', file }) });
  if (!existsSync(file)) {
    if (required) throw new ConfigError(`Config file ${file} does not exist.`);
    return layer({});
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`Config file ${file} must hold one JSON object.`);
  return layer(parsed);
}

function has(layer: Layer, keys: readonly PropertyKey[]): boolean {
  let node: unknown = layer;
  for (const key of keys) {
    if (!isPlainObject(node) || !(String(key) in node) || node[String(key)] === undefined) return false;
    node = node[String(key)];
  }
  return true;
}

/** The layer that gave the value at `keys` (or, for a missing value, its nearest parent): highest priority first. */
function sourceOf(layers: readonly SourcedLayer[], keys: readonly PropertyKey[]): Source | undefined {
  for (let n = keys.length; n > 0; n--) {
    for (const layer of layers) if (has(layer.values, keys.slice(0, n))) return layer.sourceOf(keys.slice(0, n).join('.'));
  }
  return undefined;
}

/** The dotted keys the schema knows under a parent path (for "did you mean"), through defaults, optionals and unions. */
function knownKeys(parent: readonly PropertyKey[]): string[] {
  let nodes: z.ZodType[] = [configSchema];
  for (const key of parent) {
    nodes = nodes.flatMap((n) => objectsOf(n)).flatMap((o) => (String(key) in o.shape ? [o.shape[String(key)] as z.ZodType] : []));
  }
  return [...new Set(nodes.flatMap((n) => objectsOf(n)).flatMap((o) => Object.keys(o.shape)))];
}

function objectsOf(node: z.ZodType): z.ZodObject[] {
  if (node instanceof z.ZodObject) return [node];
  if (node instanceof z.ZodDefault || node instanceof z.ZodOptional) return objectsOf(node.unwrap() as z.ZodType);
  if (node instanceof z.ZodDiscriminatedUnion) return (node.options as z.ZodType[]).flatMap((o) => objectsOf(o));
  return [];
}

/** One line for the first problem, naming the field and, when the layers are known, where its value came from. */
function problemLine(issue: z.core.$ZodIssue, source: string, layers: readonly SourcedLayer[]): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const keys = [...issue.path, key];
    const field = keys.join('.');
    const from = sourceOf(layers, keys);
    const known = knownKeys(issue.path);
    const meant = closest(key, known);
    if (from?.kind === 'env') {
      return `Bad ${source}: ${field}: not a setting (${describe(from)}${meant ? `; did you mean ${envName([...issue.path, meant].join('.'))}?` : ''})`;
    }
    return `Bad ${source}: ${field}: not a setting${from ? ` (in ${describe(from)}${meant ? `; did you mean "${meant}"?` : ''})` : meant ? ` (did you mean "${meant}"?)` : ''}`;
  }
  const field = issue.path.length ? issue.path.join('.') : '(top level)';
  // Cross-field rules (superRefine) already say which settings clash.
  const from = issue.code === 'custom' ? undefined : sourceOf(layers, issue.path);
  return `Bad ${source}: ${field}: ${issue.message}${from ? ` (from ${describe(from)})` : ''}`;
}

export function validateConfig(input: unknown, source = 'config', layers: readonly SourcedLayer[] = []): LoginscopeConfig {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(problemLine(result.error.issues[0]!, source, layers));
}

/** defaults < loginscope.config.json in the data dir (or --config) < env LOGINSCOPE_* < CLI flags. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoginscopeConfig {
  const cli = cliLayer(argv);
  const fromEnv = envLayer(env);
  const dataDir = (cli.values.dataDir ?? fromEnv.values.dataDir ?? defaultDataDir()) as string;
  if (typeof dataDir !== 'string' || dataDir === '') throw new ConfigError('Bad config: dataDir: must be a folder path');
  const explicitFile = (cli.values.configFile ?? fromEnv.values.configFile) as string | undefined;
  const file = fileLayer(explicitFile ? path.resolve(explicitFile) : path.join(dataDir, 'loginscope.config.json'), Boolean(explicitFile));
  const { configFile: _cf, ...cliRest } = cli.values;
  const { configFile: _ef, ...envRest } = fromEnv.values;
  const merged = merge(merge(merge({}, file.values), envRest), cliRest);
  merged.dataDir = path.resolve(dataDir);
  return validateConfig(merged, 'config', [cli, fromEnv, file]);
}
