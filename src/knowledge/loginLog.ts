/*
 * What a failing `sf org login jwt` (or the older `sfdx force:auth:jwt:grant`) printed in a CI log, read back: the
 * inputs on its command line, one answer per login/audience attempt, and sf's own error names. Pure (no I/O).
 *
 * Shapes read (reference: sf-cli-baseline.md §4.2, sf-cli-internals.md §1.2 and §3):
 * - human: `Error (JwtGrantError): We encountered a JSON web token error … Here’s the error: JwtAuthError::Error
 *   authenticating with JWT.` / `Errors encountered:` / one line per attempt; only audience errors carry
 *   `  [audience=… login=…]` (two spaces). The apostrophe is U+2019 (a plain ' is read too).
 * - `--json`: the error envelope `{"name":"JwtGrantError","message":"…\nErrors encountered:\n…", …}` (pretty-printed
 *   or on one line); `stack` and `cause` are never read (they hold machine paths).
 * - older: `Error authenticating with JWT config due to: <text>` and `This org appears to have a problem with its OAuth
 *   configuration. Reason: <error> - <text>` (old sfdx-core), `ERROR running force:auth:jwt:grant:` prefixes.
 * - sf's local failures inside the same envelope: `Error::ENOENT: no such file or directory, open '<key path>'`,
 *   jsonwebtoken's `secretOrPrivateKey …` per attempt, `LightningDomain::Invalid instance URL …`.
 * CI noise is removed first: ANSI colours, CR, leading timestamps, GitHub/GitLab/Azure markers (`##[error]`, `::error::`).
 *
 * Safety rule 3: nothing from the log leaves this module before removeSecrets (mask.ts) has seen it; a key file's
 * contents, an assertion or a token in the log never reach the result.
 */
import { removeSecrets, withoutKeyMaterial } from './mask.js';
import { jwtAudienceUrl, loginAudienceCombos, PRODUCTION_URL, type LoginAudiencePair } from './loginAudience.js';

export type LogAttemptKind = 'answer' | 'network' | 'html' | 'key';

export type LogAttempt = {
  /** The answer's text as sf printed it (error_description, `fetch failed`, an HTML body, a jsonwebtoken error). */
  description: string;
  /** The OAuth error code, where the log still holds it (the oldest format). */
  error?: string;
  /** From `[audience=… login=…]`, when sf printed it. */
  audience?: string;
  loginUrl?: string;
  kind: LogAttemptKind;
};

export type LogCommand = {
  tool: string;
  username?: string;
  clientId?: string;
  instanceUrl?: string;
  keyFile?: string;
  /** SF_AUDIENCE_URL=… (or SFDX_AUDIENCE_URL) set on the same line. */
  audienceUrl?: string;
  /** Flags whose value the log does not show (masked `***`, a `$VARIABLE`, `${{ secrets.X }}`). */
  hidden: string[];
};

export type LoginLog = {
  /** Which output the log held: none means no sf JWT login output was recognised. */
  format: 'human' | 'json' | 'legacy' | 'success' | 'none';
  /** The log held nothing but blank lines (format none). */
  empty?: boolean;
  command?: LogCommand;
  attempts: LogAttempt[];
  /** sf's error name around the attempts (`JwtAuthError`, `Error`, `LightningDomain` …). */
  errorName?: string;
  /** The key file sf could not read (ENOENT): its path as the log shows it. */
  keyMissing?: string;
  /** The whole error when it held no attempt list (an unknown error, shown verbatim). */
  otherError?: string;
  /** Set by the reader of the pairs (attemptPairs): sf's attempt count implies a login URL the log does not show. */
  impliedCustomUrl?: boolean;
  /** `Successfully authorized <user> with org ID <id>`. */
  success?: { username: string; orgId: string };
};

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
// A leading ISO timestamp (GitHub Actions, GitLab), a bracketed time, and the CI platforms' line markers.
const TIMESTAMP =
  /^\s*(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\s?|\[\d\d:\d\d:\d\d(?:\.\d+)?\]\s?)/;
const MARKER =
  /^(?:##\[(?:error|warning|group|endgroup|command|debug|section)\]|::(?:error|warning|notice|debug)[^:]*::)/;
const COMMAND_NAME = /\b(sf|sfdx)\s+(org\s+login\s+jwt|force:auth:jwt:grant|auth:jwt:grant|org:login:jwt)\b/;
const AUDIENCE_SUFFIX = /^(.*?)\s{2}\[audience=(\S*) login=(\S*)\]\s*$/;

/** The log's lines without CI noise. */
export function cleanLines(log: string): string[] {
  return log
    .replace(ANSI, '')
    .split(/\r?\n|\r/)
    .map((line) => {
      let out = line.replace(TIMESTAMP, '');
      out = out.replace(MARKER, '');
      return out.replace(/\s+$/, '');
    });
}

const safe = (value: string): string => removeSecrets(withoutKeyMaterial(value));

/** A value the log shows literally, or undefined when CI masked it or it is a variable. */
function literal(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '' || /^\*{3,}$/.test(v) || /^\$[{(A-Za-z_]/.test(v) || v.includes('${{') || v.includes('***'))
    return undefined;
  // As sf got it: whitespace left in a value was quoted on the command line (a username's trailing space is a cause).
  return value;
}

/** Shell words of a command line (quotes, escapes, `--flag=value`). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

const FLAG_NAMES: Record<string, keyof Omit<LogCommand, 'tool' | 'hidden' | 'audienceUrl'>> = {
  '--username': 'username',
  '-o': 'username',
  '-u': 'username',
  '--jwt-key-file': 'keyFile',
  '--jwtkeyfile': 'keyFile',
  '--keyfile': 'keyFile',
  '-f': 'keyFile',
  '--client-id': 'clientId',
  '--clientid': 'clientId',
  '-i': 'clientId',
  '--instance-url': 'instanceUrl',
  '--instanceurl': 'instanceUrl',
  '-r': 'instanceUrl',
  '-l': 'instanceUrl',
};

/** The login command on a log line (a shell prompt, GitHub's `Run …`, a `+ ` trace), or undefined. */
export function parseCommand(line: string): LogCommand | undefined {
  const match = COMMAND_NAME.exec(line);
  if (!match) return undefined;
  const before = shellWords(line.slice(0, match.index));
  const words = shellWords(line.slice(match.index + match[0].length));
  const command: LogCommand = { tool: `${match[1]} ${match[2]}`, hidden: [] };
  for (const w of before) {
    const env = /^(SF_AUDIENCE_URL|SFDX_AUDIENCE_URL)=(.*)$/.exec(w);
    if (env) command.audienceUrl = literal(env[2]) && safe(env[2]);
  }
  for (let i = 0; i < words.length; i++) {
    const [flag, inline] = words[i].includes('=') && words[i].startsWith('-') ? words[i].split(/=(.*)/s) : [words[i]];
    const field = FLAG_NAMES[flag];
    if (!field) continue;
    const raw = inline ?? words[++i];
    const value = literal(raw);
    if (value === undefined) command.hidden.push(flag);
    // A value the user gave, treated as a flag's (inputs.ts): key material, a JWT or a token in it is removed, never
    // kept (mask.ts); a consumer key stays (removeSecrets would take it for a secret; outputs mask it as a client id).
    else command[field] = withoutKeyMaterial(value);
  }
  return command;
}

/** A line of sf's attempt list, as an attempt. */
function attemptOf(line: string): LogAttempt {
  const text = line.trim();
  const audience = AUDIENCE_SUFFIX.exec(text);
  if (audience) {
    return { description: safe(audience[1]), audience: safe(audience[2]), loginUrl: safe(audience[3]), kind: 'answer' };
  }
  if (/^fetch failed$/i.test(text)) return { description: 'fetch failed', kind: 'network' };
  if (/^<(?:!doctype|html|head|body)/i.test(text)) return { description: safe(text), kind: 'html' };
  if (/^secretOrPrivateKey|^"alg" parameter for/.test(text)) return { description: safe(text), kind: 'key' };
  return { description: safe(text), kind: 'answer' };
}

const INTRO = /Here[’'`]s the error:\s*(.*)$/;
const LEGACY_CONFIG = /Error authenticating with JWT config due to:\s*(.+)$/;
const LEGACY_OAUTH = /Reason:\s*([a-z_]+)\s+-\s+(.+?)\s*$/;
const KEY_ENOENT = /ENOENT: no such file or directory, open '([^']*)'/;

/** The attempt lines and error name in sf's error text (the human block, or an envelope's `message`). */
function readErrorText(lines: string[], log: LoginLog): boolean {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const intro = INTRO.exec(line);
    const legacyConfig = LEGACY_CONFIG.exec(line);
    const legacyOauth = line.includes('problem with its OAuth configuration') ? LEGACY_OAUTH.exec(line) : null;
    if (legacyOauth) {
      log.attempts.push({ error: legacyOauth[1], ...attemptOf(legacyOauth[2]) });
      log.errorName ??= 'JwtAuthError';
      return true;
    }
    if (legacyConfig) {
      log.attempts.push(attemptOf(legacyConfig[1]));
      log.errorName ??= 'JwtAuthError';
      return true;
    }
    if (!intro) continue;
    const rest = intro[1];
    const named = /^([A-Za-z]\w*)::(.*)$/.exec(rest);
    log.errorName = named ? named[1] : 'JwtAuthError';
    const missing = KEY_ENOENT.exec(rest);
    if (missing) {
      log.keyMissing = safe(missing[1]);
      return true;
    }
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (!/^\s*Errors encountered:\s*$/.test(lines[j] ?? '')) {
      if (!/Error authenticating with JWT\.?\s*$/.test(rest)) log.otherError = safe(named ? named[2] : rest);
      return true;
    }
    for (j++; j < lines.length; j++) {
      const attempt = lines[j];
      // The list ends at the blank lines sf prints after it, or where other output begins.
      if (attempt.trim() === '' || /^(Warning|Error|Try this):?\s/.test(attempt) || COMMAND_NAME.test(attempt)) break;
      log.attempts.push(attemptOf(attempt));
    }
    return true;
  }
  return false;
}

/** The `--json` error envelope, if the log holds one (on one line or pretty-printed). */
function readEnvelope(lines: string[]): { name?: string; message?: string; status?: number } | undefined {
  for (let start = 0; start < lines.length; start++) {
    if (!/^\s*\{/.test(lines[start])) continue;
    let text = '';
    for (let end = start; end < lines.length && end < start + 400; end++) {
      text += lines[end] + '\n';
      if (!/^\s*\}/.test(lines[end]) && !/\}\s*$/.test(lines[end])) continue;
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (typeof parsed.message === 'string' || typeof parsed.name === 'string') return parsed;
        // A success envelope: `{"status":0,"result":{…}}`.
        if (parsed.result && typeof parsed.result === 'object') {
          const r = parsed.result as { username?: string; orgId?: string };
          return { name: 'success', message: `${r.username ?? ''} ${r.orgId ?? ''}` };
        }
      } catch {
        // not yet a whole document
      }
    }
  }
  return undefined;
}

export function parseLoginLog(text: string): LoginLog {
  const lines = cleanLines(text);
  const log: LoginLog = { format: 'none', attempts: [] };
  if (lines.every((line) => line.trim() === '')) return { ...log, empty: true };
  // Lines continued with a backslash form one command.
  const joined: string[] = [];
  for (const line of lines) {
    const last = joined.length - 1;
    if (last >= 0 && /\\$/.test(joined[last])) joined[last] = joined[last].slice(0, -1) + ' ' + line.trim();
    else joined.push(line);
  }
  for (const line of joined) {
    const command = parseCommand(line.replace(/^\s*(?:\$|>|\+|Run)\s+/, ''));
    if (command) log.command = command;
  }
  const envelope = readEnvelope(lines);
  if (envelope?.name === 'success') {
    const [username, orgId] = (envelope.message ?? '').split(' ');
    log.format = 'success';
    log.success = { username: safe(username), orgId: safe(orgId) };
    return log;
  }
  if (envelope?.message) {
    readErrorText(envelope.message.split('\n'), log);
    log.format = 'json';
    if (!log.errorName && envelope.name) log.errorName = safe(envelope.name);
    if (log.attempts.length === 0 && !log.keyMissing && !log.otherError) log.otherError = safe(envelope.message);
    return log;
  }
  if (readErrorText(lines, log)) {
    log.format = lines.some((l) => INTRO.test(l)) ? 'human' : 'legacy';
    return log;
  }
  const success = lines.map((l) => /Successfully authorized (\S+) with org ID (\w+)/.exec(l)).find(Boolean);
  if (success) {
    log.format = 'success';
    log.success = { username: safe(success[1]), orgId: safe(success[2]) };
  }
  return log;
}

/**
 * The OAuth error code each description comes with (reference: salesforce-oauth-jwt-facts.md §1.3), for the formats
 * that print only the description. A description not listed keeps no code: none is guessed.
 */
const IMPLIED_ERROR: Array<[RegExp, string]> = [
  [/^client identifier invalid$/i, 'invalid_client_id'],
  [/^invalid client credentials$/i, 'invalid_client'],
  [/^user is not admin approved to access this app$/i, 'invalid_app_access'],
  [/^external client app is not installed in this org$/i, 'app_not_found'],
  [/^refresh_token scope is required/i, 'invalid_request'],
  [/^https required$/i, 'invalid_request'],
  [/^org is locked, closed, or suspended$/i, 'inactive_org'],
  [/^number of logins exceeded$/i, 'rate_limit_exceeded'],
  [/^grant type not supported$/i, 'unsupported_grant_type'],
  [/^app must be installed into org$/i, 'invalid_client'],
  [
    /^(user hasn.t approved this consumer|audience is invalid|invalid assertion|expired authorization code|authentication failure|ip restricted or invalid login hours|inactive user|user is locked)$/i,
    'invalid_grant',
  ],
];

export function impliedError(description: string): string | undefined {
  return IMPLIED_ERROR.find(([re]) => re.test(description.trim()))?.[1];
}

/**
 * The (login URL, aud) pair of each attempt: sf's own order (loginAudience.ts) for the login URL the log (or a flag)
 * gives, checked against every `[audience=… login=…]` the log shows. Without a login URL, the candidates are sf's
 * default and the login URLs the annotated lines name. An attempt whose pair cannot be told keeps none: never guessed.
 */
export function attemptPairs(
  attempts: LogAttempt[],
  loginUrl: string | undefined,
  audienceOverride: string | undefined,
): {
  pairs: Array<{ loginUrl: string; audience: string } | undefined>;
  loginUrl?: string;
  /** The attempt count says sf was given a login URL of its own, which the log does not show. */
  customUrl?: boolean;
} {
  const annotated = attempts.filter((a) => a.loginUrl);
  const logins = loginUrl ? [loginUrl] : [...new Set([annotated[0]?.loginUrl, PRODUCTION_URL].filter(Boolean))];
  const audiences = [audienceOverride, ...annotated.map((a) => a.audience)].filter(
    (a, i, all): a is string | undefined => all.indexOf(a) === i,
  );
  const originOf = (url: string): string => {
    try {
      return new URL(url).origin;
    } catch {
      return url;
    }
  };
  for (const login of logins as string[]) {
    for (const override of [...audiences, undefined]) {
      let pairs: LoginAudiencePair[];
      try {
        pairs = loginAudienceCombos(jwtAudienceUrl(login, override), login);
      } catch {
        continue;
      }
      if (pairs.length !== attempts.length) continue;
      const agrees = attempts.every(
        (a, i) =>
          !a.loginUrl ||
          (originOf(a.loginUrl) === originOf(pairs[i][0]) && originOf(a.audience ?? '') === originOf(pairs[i][1])),
      );
      if (agrees) return { pairs: pairs.map(([l, aud]) => ({ loginUrl: l, audience: aud })), loginUrl: login };
    }
  }
  if (!loginUrl && annotated.length === 0) {
    const custom = customUrlPairs(attempts.length, audienceOverride);
    if (custom) return { pairs: custom, customUrl: true };
  }
  return {
    pairs: attempts.map((a) => (a.loginUrl ? { loginUrl: a.loginUrl, audience: a.audience ?? '' } : undefined)),
    loginUrl,
  };
}

/** Stands for a login URL the log does not show; never reaches a result (pairs holding it are left unknown). */
const STAND_IN = 'https://login-url-not-in-the-log.invalid';

/**
 * With neither a command line nor an annotated attempt, sf's attempt count still tells whether it was given a login
 * URL of its own (a My Domain, say: 5 pairs) rather than its default (fewer). Then the pairs on sf's fixed hosts
 * (login.salesforce.com, test.salesforce.com) are known by their position; those on the unseen URL stay unknown.
 */
function customUrlPairs(
  count: number,
  audienceOverride: string | undefined,
): Array<{ loginUrl: string; audience: string } | undefined> | undefined {
  const combos = (login: string): LoginAudiencePair[] =>
    loginAudienceCombos(jwtAudienceUrl(login, audienceOverride), login);
  let custom: LoginAudiencePair[];
  try {
    custom = combos(STAND_IN);
    if (custom.length !== count || combos(PRODUCTION_URL).length === count) return undefined;
  } catch {
    return undefined;
  }
  return custom.map(([login, audience]) =>
    login === STAND_IN || audience === STAND_IN ? undefined : { loginUrl: login, audience },
  );
}
