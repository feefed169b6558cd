/*
 * Resolves what the doctor diagnoses, and where each value came from, the way `sf org login jwt` would resolve it:
 * flags first, then a stored authorization (--from-org), then sfdx-project.json's sfdcLoginUrl, then sf's defaults;
 * SF_AUDIENCE_URL (or the deprecated SFDX_AUDIENCE_URL) forces the audience, --audience-url overrides both.
 * Pure: the stored auth and project file are read by adapters and passed in.
 */
import type { DoctorInputs } from './context.js';
import type { InputProvenance, InputValue } from './types.js';
import type { StoredAuthFacts } from '../salesforce/storedAuth.js';
import type { ProjectLoginUrl } from '../salesforce/projectConfig.js';
import { withoutCredentials } from '../knowledge/instanceUrl.js';
import { PRODUCTION_URL } from '../knowledge/loginAudience.js';
import { withoutKeyMaterial } from '../knowledge/mask.js';
import { text } from './text.js';

export type DoctorFlags = {
  username?: string;
  'jwt-key-file'?: string;
  'client-id'?: string;
  'instance-url'?: string;
  'audience-url'?: string;
  'admin-org'?: string;
  'from-org'?: string;
  offline?: boolean;
  timeout?: number;
  alias?: string;
  'set-default'?: boolean;
  'set-default-dev-hub'?: boolean;
  'no-prompt'?: boolean;
  sandbox?: string;
  'from-log'?: string;
};

/** Flags that only matter when saving a login: accepted so a pasted line works, reported as ignored. */
export const SAVE_ONLY_FLAGS = ['alias', 'set-default', 'set-default-dev-hub', 'no-prompt'] as const;

export type ResolveOptions = {
  flags: DoctorFlags;
  env: Record<string, string | undefined>;
  storedAuth?: StoredAuthFacts;
  project?: ProjectLoginUrl;
  /** --from-log: the values the log's command line (or its attempts) showed; flags and a stored auth win over them. */
  log?: {
    username?: string;
    clientId?: string;
    keyFile?: string;
    instanceUrl?: string;
    audienceUrl?: string;
    origin: string;
  };
  defaultTimeoutSeconds: number;
};

function pick(...candidates: Array<InputValue | undefined | false>): InputValue | undefined {
  return candidates.find((c): c is InputValue => Boolean(c) && (c as InputValue).value !== undefined);
}

function flag(name: string, value: string | undefined): InputValue | undefined | false {
  return value !== undefined && { value, source: 'flag', origin: `--${name}` };
}

/** Every string of a record through withoutKeyMaterial (mask.ts): a key pasted into a value never enters the engine. */
function clean<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? withoutKeyMaterial(v) : v]),
  ) as T;
}

export function resolveInputs(options: ResolveOptions): DoctorInputs {
  // Safety rule 3 where every value enters: a private key (or a token) pasted into a flag, an environment variable or a
  // stored auth field is replaced before any check, request or output can see it.
  const flags = clean(options.flags);
  const env = clean({ SF_AUDIENCE_URL: options.env.SF_AUDIENCE_URL, SFDX_AUDIENCE_URL: options.env.SFDX_AUDIENCE_URL });
  const storedAuth = options.storedAuth && clean(options.storedAuth);
  const project = options.project && clean(options.project);
  const log = options.log && clean(options.log);
  const fromLog = (value: string | undefined): InputValue | false =>
    Boolean(log && value) && { value: value as string, source: 'log', origin: log!.origin };
  const stored = (value: string | undefined): InputValue | false =>
    Boolean(storedAuth?.found && value) && {
      value: value as string,
      source: 'stored-auth',
      origin: storedAuth?.authFileDisplay ?? text('origin.storedAuth'),
    };

  const instanceUrl = pick(
    flag('instance-url', flags['instance-url']),
    stored(storedAuth?.loginUrl),
    fromLog(log?.instanceUrl),
    !log &&
      project && {
        value: project.url,
        source: 'project-config',
        origin: project.file.endsWith('.json') ? `${project.file} sfdcLoginUrl` : project.file,
      },
  ) ?? { value: PRODUCTION_URL, source: 'default', origin: text('origin.sfDefault') };

  const audienceUrl = pick(
    flag('audience-url', flags['audience-url']),
    Boolean(env.SF_AUDIENCE_URL) && { value: env.SF_AUDIENCE_URL as string, source: 'env', origin: 'SF_AUDIENCE_URL' },
    Boolean(env.SFDX_AUDIENCE_URL) && {
      value: env.SFDX_AUDIENCE_URL as string,
      source: 'env',
      origin: 'SFDX_AUDIENCE_URL',
    },
    fromLog(log?.audienceUrl),
  );

  const username = pick(flag('username', flags.username), stored(storedAuth?.username), fromLog(log?.username));
  const rest: Omit<DoctorInputs, 'username' | 'instanceUrl'> = {
    clientId: pick(flag('client-id', flags['client-id']), stored(storedAuth?.clientId), fromLog(log?.clientId)),
    keyFile: pick(
      flag('jwt-key-file', flags['jwt-key-file']),
      stored(storedAuth?.privateKeyPath),
      fromLog(log?.keyFile),
    ),
    audienceUrl,
    adminOrg: pick(flag('admin-org', flags['admin-org'])),
    fromOrg: pick(flag('from-org', flags['from-org'])),
    fromLog: pick(flag('from-log', flags['from-log'])),
    offline: Boolean(flags.offline),
    timeoutMs: (flags.timeout ?? options.defaultTimeoutSeconds) * 1000,
  };
  return keylessWhenNoKey(
    flags.sandbox ? withSandbox(flags.sandbox, { username, instanceUrl }, rest) : { username, instanceUrl, ...rest },
  );
}

/**
 * --from-log with no login URL from a flag, the log's command line or its attempts: the instance URL is only sf's
 * default, which the log never showed — checks and fixes say so instead of judging or naming it.
 */
export function urlNotInLog(inputs: Pick<DoctorInputs, 'fromLog' | 'instanceUrl'>): boolean {
  return Boolean(inputs.fromLog) && inputs.instanceUrl.source === 'default';
}

/**
 * --admin-org and no key at all (no --jwt-key-file, no stored JWT login giving one), online: the org-side diagnosis
 * (issue 15). Without --admin-org a missing key stays what it was (a usage error, or key.file's finding).
 */
function keylessWhenNoKey(inputs: DoctorInputs): DoctorInputs {
  return !inputs.keyFile && inputs.adminOrg && !inputs.offline ? { ...inputs, keyless: true } : inputs;
}

/**
 * --sandbox NAME: from a production username and URL, the ones the sandbox has after creation or refresh — the
 * username gains `.name` and the My Domain becomes `<mydomain>--<name>.sandbox.my.salesforce.com`
 * (reference: salesforce-oauth-jwt-facts.md §5.1–5.2).
 */
export function sandboxUsername(username: string, sandbox: string): string {
  const suffix = `.${sandbox.toLowerCase()}`;
  return username.toLowerCase().endsWith(suffix) ? username : `${username}${suffix}`;
}

export function sandboxUrl(url: string, sandbox: string): string {
  let host: string;
  try {
    host = new URL(url.trim()).hostname.toLowerCase();
  } catch {
    return url;
  }
  if (host === 'login.salesforce.com' || host === 'test.salesforce.com') return 'https://test.salesforce.com';
  const myDomain = /^([a-z0-9-]+?)(?:--[a-z0-9]+)?(?:\.(?:sandbox|develop))?\.my\.salesforce\.com$/.exec(host)?.[1];
  return myDomain ? `https://${myDomain}--${sandbox.toLowerCase()}.sandbox.my.salesforce.com` : url;
}

function withSandbox(
  sandbox: string,
  production: { username?: InputValue; instanceUrl: InputValue },
  rest: Omit<DoctorInputs, 'username' | 'instanceUrl'>,
): DoctorInputs {
  const origin = (from: InputValue): string => text('origin.sandboxApplied', { sandbox, origin: from.origin });
  return {
    ...rest,
    username: production.username && {
      value: sandboxUsername(production.username.value, sandbox),
      source: 'derived',
      origin: origin(production.username),
    },
    instanceUrl: {
      value: sandboxUrl(production.instanceUrl.value, sandbox),
      source: 'derived',
      origin: origin(production.instanceUrl),
    },
  };
}

export function ignoredFlags(flags: DoctorFlags & { fix?: boolean }): string[] {
  // --no-prompt means something with --fix (apply without asking); otherwise, like the others, it saves nothing.
  return SAVE_ONLY_FLAGS.filter(
    (name) => flags[name] !== undefined && flags[name] !== false && !(name === 'no-prompt' && flags.fix),
  ).map((n) => `--${n}`);
}

export function provenance(inputs: DoctorInputs): InputProvenance[] {
  const entries: Array<[string, InputValue | undefined]> = [
    ['username', inputs.username],
    ['client-id', inputs.clientId],
    ['jwt-key-file', inputs.keyFile],
    ['instance-url', inputs.instanceUrl],
    ['audience-url', inputs.audienceUrl],
    ['admin-org', inputs.adminOrg],
    ['from-org', inputs.fromOrg],
    ['from-log', inputs.fromLog],
  ];
  // A URL with user:password@ is shown without the password (url.parse fails it; nothing else may echo it).
  return entries
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => ({
      name,
      value: name.endsWith('url') ? withoutCredentials(v!.value) : v!.value,
      source: v!.source,
      origin: v!.origin,
    }));
}

/** Shell-quotes a value only when it needs it, so the line stays readable and still pastes correctly. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** The `sf org login jwt` line the inputs make (no secrets: the key is a path, the consumer key is not a secret). */
export function loginCommand(values: {
  username?: string;
  clientId?: string;
  keyFile?: string;
  instanceUrl?: string;
}): string | null {
  if (!values.username || !values.clientId || !values.keyFile) return null;
  const parts = [
    'sf org login jwt',
    `--username ${shellQuote(values.username)}`,
    `--jwt-key-file ${shellQuote(values.keyFile)}`,
    `--client-id ${shellQuote(values.clientId)}`,
  ];
  if (values.instanceUrl) parts.push(`--instance-url ${shellQuote(values.instanceUrl)}`);
  return parts.join(' ');
}

/**
 * The login URL exactly as sf uses it: --instance-url and sfdcLoginUrl go through `new URL(x).href` (so they gain a
 * trailing slash), a stored loginUrl is used verbatim, and the default has no slash.
 */
export function sfLoginUrl(input: InputValue): string {
  if (input.source === 'stored-auth' || input.source === 'default') return input.value;
  try {
    return new URL(input.value.trim()).href;
  } catch {
    return input.value;
  }
}
