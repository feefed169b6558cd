/*
 * What an --instance-url says: which Salesforce host form it is, which org kind it implies, whether it is a place a
 * JWT assertion may be sent at all, and the login URL the user most likely meant. Pure; no DNS.
 *
 * Host forms: reference/salesforce-oauth-jwt-facts.md §5.1. The allow-list is @salesforce/core 9.4.0's
 * SfdcUrl.isSalesforceDomain() plus a few Salesforce-owned suffixes core does not list (see DOCTOR_EXTRA_SUFFIXES).
 */
import { isIP } from 'node:net';
import { SfdcUrl } from '@salesforce/core';
import { domainToUnicode } from 'node:url';
import { unusualCharacters, type CharFinding } from './username.js';

export type UrlKind =
  | 'invalid'
  | 'login'
  | 'test'
  | 'production-my-domain'
  | 'sandbox-my-domain'
  | 'sandbox-legacy'
  | 'developer-edition'
  | 'scratch'
  | 'patch'
  | 'demo'
  | 'trailblaze'
  | 'free'
  | 'lightning'
  | 'visualforce'
  | 'setup'
  | 'experience'
  | 'gov'
  | 'china'
  | 'instance'
  | 'other-salesforce'
  | 'loopback'
  | 'not-salesforce';

export type OrgKind = 'production' | 'sandbox' | 'scratch' | 'developer-edition' | 'unknown';

export type UrlClassification = {
  input: string;
  valid: boolean;
  parseError?: string;
  /** `new URL(input).href`: what sf passes on as the login URL (note the trailing slash). May hold credentials. */
  href?: string;
  /**
   * The URL to show a reader: `href` (or the input, when it does not parse) with any `user:password@` replaced by
   * `***@`. Every text that shows the instance URL uses this, never `input` or `href`.
   */
  displayUrl: string;
  /** The URL carries `user[:password]@` (fetch, so sf, refuses such a URL; the doctor never shows it). */
  hasCredentials: boolean;
  /** Port 0: out of range (new URL already rejects ports above 65535). */
  invalidPort?: string;
  /** Labels of the host in punycode (`xn--…`): an internationalized name, never a My Domain name. */
  punycodeLabels?: string[];
  /** The host as Unicode, when it has punycode labels (`xn--cme-5cd.my.salesforce.com` → `аcme.my.salesforce.com`). */
  unicodeHostname?: string;
  /**
   * Non-ASCII characters typed in the host (look-alikes, invisible, other), positions within the host as typed. URL
   * parsing maps some to ASCII (full-width letters, zero-width spaces) and turns the rest into punycode labels.
   */
  hostCharacters?: {
    lookalikes: CharFinding[];
    invisible: CharFinding[];
    other: CharFinding[];
    typedHost: string;
    asciiHost: string;
  };
  origin?: string;
  protocol?: string;
  /** http: — sf warns and carries on; the assertion would cross the network in clear text. */
  insecure: boolean;
  hostname?: string;
  port?: string;
  /** Path, query or fragment beyond `/` (a pasted page or token endpoint URL); sf would append its path after it. */
  pathJunk?: string;
  trailingSlash: boolean;
  /** Leading/trailing whitespace in the input (URL parsing drops it silently). */
  hadWhitespace: boolean;
  kind: UrlKind;
  /** Which Salesforce cloud the host belongs to. */
  cloud?: 'commercial' | 'gov' | 'china';
  /** Partition label of a partitioned My Domain: sandbox, scratch, develop, patch, demo, trailblaze, free. */
  partition?: string;
  /** The doctor's allow-list (core 9.4.0's plus DOCTOR_EXTRA_SUFFIXES). */
  isSalesforceDomain: boolean;
  /** Exactly @salesforce/core 9.4.0 SfdcUrl.isSalesforceDomain(). */
  coreSalesforceDomain: boolean;
  isLoopback: boolean;
  /** sf's own refusal: plugin-auth throwIfLightning (SfdcUrl.isLightningDomain()). */
  sfRefusesLightning: boolean;
  orgKind: OrgKind;
  myDomainName?: string;
  sandboxName?: string;
  /** Instance name for `na123.salesforce.com` / `cs42.salesforce.com` / legacy instanced My Domains. */
  instanceName?: string;
  /** The login URL the user most likely meant (My Domain login URL for a Lightning, Visualforce or Setup URL …). */
  suggestedUrl?: string;
  /** The doctor must not send an assertion here. */
  refused: boolean;
  /** Why, as a code (pure knowledge holds no sentences; the checks say it in words from messages/). */
  refusedReason?: RefusedReason;
};

/**
 * Salesforce-owned suffixes core does not list but that are real Salesforce host forms (§5.1): Experience Cloud sites,
 * Setup domains, China Lightning hosts and the alternative My Domain suffix. The point of the allow-list is that an
 * assertion is a bearer credential, so it may only go to Salesforce: these qualify, arbitrary hosts do not.
 */
export const DOCTOR_EXTRA_SUFFIXES = ['.my.site.com', '.salesforce-setup.com', '.sfcrmapps.cn', '.my-salesforce.com'];

const PARTITIONS = ['sandbox', 'scratch', 'develop', 'patch', 'demo', 'trailblaze', 'free'];

/** My Domain login suffixes per cloud; the same `Name[--Sandbox][.partition].<suffix>` grammar applies to each. */
const MY_DOMAIN_SUFFIXES: Array<{ suffix: string; cloud: 'commercial' | 'gov' | 'china' }> = [
  { suffix: 'my.salesforce.com', cloud: 'commercial' },
  { suffix: 'my-salesforce.com', cloud: 'commercial' },
  { suffix: 'my.salesforce.mil', cloud: 'gov' },
  { suffix: 'my.sfcrmproducts.cn', cloud: 'china' },
];

/** Non-login host forms that map one-to-one onto a My Domain login suffix. */
const MAPPED_SUFFIXES: Array<{ suffix: string; kind: UrlKind; login: string; cloud: 'commercial' | 'gov' | 'china' }> =
  [
    { suffix: 'lightning.force.com', kind: 'lightning', login: 'my.salesforce.com', cloud: 'commercial' },
    { suffix: 'lightning.crmforce.mil', kind: 'lightning', login: 'my.salesforce.mil', cloud: 'gov' },
    { suffix: 'lightning.sfcrmapps.cn', kind: 'lightning', login: 'my.sfcrmproducts.cn', cloud: 'china' },
    { suffix: 'my-lightning.com', kind: 'lightning', login: 'my-salesforce.com', cloud: 'commercial' },
    { suffix: 'my.salesforce-setup.com', kind: 'setup', login: 'my.salesforce.com', cloud: 'commercial' },
    { suffix: 'my.site.com', kind: 'experience', login: 'my.salesforce.com', cloud: 'commercial' },
    { suffix: 'vf.force.com', kind: 'visualforce', login: 'my.salesforce.com', cloud: 'commercial' },
    // `my.sfcrmapps.cn` does not resolve; the China My Domain suffix is `my.sfcrmproducts.cn` (§5.1).
    { suffix: 'my.sfcrmapps.cn', kind: 'china', login: 'my.sfcrmproducts.cn', cloud: 'china' },
  ];

/**
 * 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: the simulator's addresses (same rule as connectTo.ts). By name
 * only: `localhost` and `*.localhost` may be mapped anywhere (/etc/hosts), so the connection itself must land on a
 * loopback address (connectTo.ts refuses it before connecting otherwise).
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:7f[0-9a-f]{2}:/.test(h);
  return false;
}

function endsWithAny(host: string, suffixes: string[]): boolean {
  return suffixes.some((s) => host.endsWith(s));
}

/** sf's own rule (core's SfdcUrl.isSalesforceDomain): what sf treats as a Salesforce host. */
export function coreIsSalesforceDomain(hostname: string): boolean {
  return new SfdcUrl(`https://${hostname}`).isSalesforceDomain();
}

/** The doctor's allow-list for a host name (what classifyUrl calls isSalesforceDomain). */
export function isSalesforceHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return coreIsSalesforceDomain(h) || endsWithAny(h, DOCTOR_EXTRA_SUFFIXES);
}

type HostParts = { label: string; partition?: string };

/** A punycode label (`xn--…`): its `--` is the IDNA prefix, not the My Domain/sandbox separator. */
export function isPunycodeLabel(label: string): boolean {
  return /^xn--/i.test(label);
}

/** Splits `label[.partition].suffix`; undefined when the host does not end with the suffix. */
function splitHost(host: string, suffix: string): HostParts | undefined {
  if (!host.endsWith(`.${suffix}`)) return undefined;
  const rest = host.slice(0, -(suffix.length + 1)).split('.');
  if (rest.length === 2 && PARTITIONS.includes(rest[1])) return { label: rest[0], partition: rest[1] };
  if (rest.length === 1) return { label: rest[0] };
  // Legacy instanced My Domain: `acme--uat.cs42.my.salesforce.com`.
  if (rest.length === 2 && /^[a-z]+\d+s?$/.test(rest[1])) return { label: rest[0], partition: `instance:${rest[1]}` };
  return undefined;
}

function myDomainFacts(
  out: UrlClassification,
  parts: HostParts,
  cloud: 'commercial' | 'gov' | 'china',
  loginSuffix: string,
): void {
  out.cloud = cloud;
  if (isPunycodeLabel(parts.label)) {
    // An internationalized (look-alike) name: no My Domain has one, so it names no org, sandbox or login URL.
    const partition = parts.partition?.startsWith('instance:') ? undefined : parts.partition;
    out.partition = partition;
    out.orgKind =
      partition === 'sandbox'
        ? 'sandbox'
        : partition === 'scratch'
          ? 'scratch'
          : partition === 'develop' || partition === 'trailblaze'
            ? 'developer-edition'
            : 'unknown';
    return;
  }
  const [name, sandbox] = parts.label.split('--');
  out.myDomainName = name;
  const partition = parts.partition?.startsWith('instance:') ? undefined : parts.partition;
  if (parts.partition?.startsWith('instance:')) out.instanceName = parts.partition.slice('instance:'.length);
  out.partition = partition;
  if (partition === 'sandbox' || (!partition && sandbox)) {
    out.sandboxName = sandbox;
    out.orgKind = 'sandbox';
  } else if (partition === 'scratch') out.orgKind = 'scratch';
  else if (partition === 'develop' || partition === 'trailblaze' || name.endsWith('-dev-ed'))
    out.orgKind = 'developer-edition';
  else out.orgKind = 'production';
  // The enhanced-domain login URL for this org.
  // Legacy Developer Edition hosts (`acme-dev-ed.my.salesforce.com`) moved to the `develop` partition.
  const enhancedPartition = partition ?? (name.endsWith('-dev-ed') ? 'develop' : undefined);
  const host = out.sandboxName
    ? `${name}--${out.sandboxName}.sandbox.${loginSuffix}`
    : `${name}${enhancedPartition ? `.${enhancedPartition}` : ''}.${loginSuffix}`;
  out.suggestedUrl = `https://${host}`;
}

function classifyMyDomain(out: UrlClassification, host: string): boolean {
  for (const { suffix, cloud } of MY_DOMAIN_SUFFIXES) {
    const parts = splitHost(host, suffix);
    if (!parts) continue;
    myDomainFacts(out, parts, cloud, suffix);
    const enhanced = out.suggestedUrl === `https://${host}` || isPunycodeLabel(parts.label);
    if (cloud === 'gov') out.kind = 'gov';
    else if (cloud === 'china') out.kind = 'china';
    else if (parts.partition === 'sandbox') out.kind = 'sandbox-my-domain';
    else if (out.sandboxName) out.kind = 'sandbox-legacy';
    else if (parts.partition === 'scratch') out.kind = 'scratch';
    else if (parts.partition === 'develop' || (!parts.partition && out.orgKind === 'developer-edition'))
      out.kind = 'developer-edition';
    else if (parts.partition && PARTITIONS.includes(parts.partition)) out.kind = parts.partition as UrlKind;
    else out.kind = 'production-my-domain';
    // Only suggest where the URL is not already the enhanced login URL.
    if (enhanced) out.suggestedUrl = undefined;
    return true;
  }
  return false;
}

function classifyMapped(out: UrlClassification, host: string): boolean {
  for (const { suffix, kind, login, cloud } of MAPPED_SUFFIXES) {
    const parts = splitHost(host, suffix);
    if (!parts) continue;
    out.kind = kind;
    // Visualforce hosts append the package name: `acme--c.vf.force.com`, `acme--uat--c.sandbox.vf.force.com`.
    const labels = parts.label.split('--');
    const label =
      kind === 'visualforce' && labels.length > 1 && !isPunycodeLabel(parts.label)
        ? labels.slice(0, -1).join('--')
        : parts.label;
    myDomainFacts(out, { ...parts, label }, cloud, login);
    return true;
  }
  return false;
}

function classifyHost(out: UrlClassification, host: string): void {
  if (host === 'login.salesforce.com') {
    out.kind = 'login';
    out.orgKind = 'production';
  } else if (host === 'test.salesforce.com') {
    out.kind = 'test';
    out.orgKind = 'sandbox';
  } else if (classifyMyDomain(out, host) || classifyMapped(out, host)) {
    // done
  } else if (/^[a-z]{2,4}\d+s?\.salesforce\.com$/.test(host)) {
    out.kind = 'instance';
    out.instanceName = host.split('.')[0];
    // Old isSandboxUrl(): cs instances and instance names ending in `s` are sandboxes.
    out.orgKind = /^cs\d+$|\d+s$/.test(out.instanceName) ? 'sandbox' : 'production';
  } else if (host.endsWith('.visual.force.com')) {
    // Legacy Visualforce: `acme--c.na123.visual.force.com` or `c.cs42.visual.force.com`.
    out.kind = 'visualforce';
    const first = host.split('.')[0].split('--');
    if (first.length > 1 && !isPunycodeLabel(host)) {
      out.myDomainName = first[0];
      out.suggestedUrl = `https://${first[0]}.my.salesforce.com`;
    }
  } else if (/^[a-z0-9-]+\.(secure\.)?force\.com$/.test(host) && !host.startsWith('login.')) {
    out.kind = 'experience';
  } else if (host.endsWith('.salesforce.mil') || host.endsWith('.crmforce.mil')) {
    out.kind = 'gov';
    out.cloud = 'gov';
  } else if (out.isSalesforceDomain) {
    out.kind = 'other-salesforce';
  } else {
    out.kind = 'not-salesforce';
  }
  if (!out.cloud && out.isSalesforceDomain) out.cloud = 'commercial';
}

export type RefusedReason = 'not-url' | 'protocol' | 'credentials' | 'port' | 'not-salesforce' | 'not-login-host';

function refuse(out: UrlClassification, reason: RefusedReason): UrlClassification {
  out.refused = true;
  out.refusedReason = reason;
  return out;
}

/**
 * Where the authority's `user:password@` sits in a typed URL, if anywhere: after the scheme (http(s) takes any number
 * of slashes, even none), up to the last `@` before the path, as URL parsing does. Without a scheme there is none.
 */
function userinfoSpan(text: string): [number, number] | undefined {
  const scheme = /^\s*[a-z][a-z0-9+.-]*:[/\\]*/i.exec(text);
  if (!scheme) return undefined;
  const start = scheme[0].length;
  const rest = text.slice(start);
  const end = rest.search(/[/?#\\]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  return at < 0 ? undefined : [start, start + at];
}

/** The text with any `user:password@` in its authority replaced by `***@` (or removed, with `replacement` ''). */
export function withoutCredentials(text: string, replacement = '***@'): string {
  const span = userinfoSpan(text);
  return span ? `${text.slice(0, span[0])}${replacement}${text.slice(span[1] + 1)}` : text;
}

/** The host as typed (between `//` or the userinfo and the port or path), for naming the characters in it. */
function typedHost(text: string): string {
  const trimmed = text.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:[/\\]*/i.exec(trimmed);
  let rest = trimmed.slice(scheme ? scheme[0].length : 0);
  const end = rest.search(/[/?#\\]/);
  if (end >= 0) rest = rest.slice(0, end);
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  return rest.startsWith('[') ? rest : rest.replace(/:[^:]*$/, '');
}

export function classifyUrl(input: string): UrlClassification {
  const out: UrlClassification = {
    input,
    displayUrl: withoutCredentials(input),
    hasCredentials: userinfoSpan(input.trim()) !== undefined,
    valid: false,
    insecure: false,
    trailingSlash: false,
    hadWhitespace: input !== input.trim(),
    kind: 'invalid',
    isSalesforceDomain: false,
    coreSalesforceDomain: false,
    isLoopback: false,
    sfRefusesLightning: false,
    orgKind: 'unknown',
    refused: false,
  };
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch (error) {
    out.parseError = (error as Error).message;
    // `acme.my.salesforce.com` without a scheme: the most common paste.
    const bare = input.trim();
    if (/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(\/.*)?$/i.test(bare))
      out.suggestedUrl = classifyUrl(`https://${bare}`).suggestedUrl ?? `https://${bare.split('/')[0]}`;
    return refuse(out, 'not-url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    out.parseError = `unsupported protocol ${url.protocol}`;
    out.protocol = url.protocol;
    // `acme.my.salesforce.com:443` parses with the host as the scheme.
    if (!input.includes('//')) out.suggestedUrl = `https://${input.trim().slice(input.trim().lastIndexOf('@') + 1)}`;
    return refuse(out, 'protocol');
  }
  out.valid = true;
  out.href = url.href;
  out.hasCredentials = url.username !== '' || url.password !== '';
  if (out.hasCredentials) {
    const shown = new URL(url.href);
    shown.username = '';
    shown.password = '';
    out.displayUrl = shown.href.replace('//', '//***@');
  } else {
    out.displayUrl = url.href;
  }
  out.origin = url.origin;
  out.protocol = url.protocol;
  out.insecure = url.protocol === 'http:';
  out.hostname = url.hostname;
  out.port = url.port || undefined;
  if (url.port !== '' && Number(url.port) === 0) out.invalidPort = url.port;
  const labels = url.hostname.split('.').filter(isPunycodeLabel);
  if (labels.length > 0) {
    out.punycodeLabels = labels;
    out.unicodeHostname = domainToUnicode(url.hostname) || undefined;
  }
  const typed = typedHost(input);
  if (/[^\x20-\x7e]/.test(typed)) {
    const chars = unusualCharacters(typed);
    out.hostCharacters = {
      lookalikes: chars.lookalikes,
      invisible: chars.invisible,
      other: chars.otherNonAscii,
      typedHost: typed,
      asciiHost: chars.ascii.toLowerCase(),
    };
  }
  const junk = `${url.pathname === '/' ? '' : url.pathname}${url.search}${url.hash}`;
  out.pathJunk = junk || undefined;
  out.trailingSlash = /^[a-z]+:\/\/[^/]+\/$/i.test(input.trim());
  out.isLoopback = isLoopbackHost(url.hostname);
  out.coreSalesforceDomain = coreIsSalesforceDomain(url.hostname);
  out.isSalesforceDomain = out.coreSalesforceDomain || endsWithAny(url.hostname, DOCTOR_EXTRA_SUFFIXES);
  // sf refuses a Lightning URL as the login URL (core's SfdcUrl.isLightningDomain: the origin *includes* the suffix).
  out.sfRefusesLightning = new SfdcUrl(url.origin).isLightningDomain();

  if (out.isLoopback) {
    out.kind = 'loopback';
  } else {
    classifyHost(out, url.hostname);
  }
  if (!out.suggestedUrl && out.pathJunk && (out.isSalesforceDomain || out.isLoopback)) out.suggestedUrl = url.origin;
  // The host with its look-alikes replaced by the ASCII they imitate, when that is a plain host.
  if (out.punycodeLabels && out.hostCharacters && /^[a-z0-9.-]+$/.test(out.hostCharacters.asciiHost)) {
    const ascii = classifyUrl(`https://${out.hostCharacters.asciiHost}`);
    if (ascii.valid && !ascii.punycodeLabels) out.suggestedUrl = ascii.suggestedUrl ?? ascii.origin;
  }
  if (out.hasCredentials && !out.suggestedUrl) out.suggestedUrl = url.origin;
  if (out.invalidPort !== undefined && !out.suggestedUrl) out.suggestedUrl = `${url.protocol}//${url.hostname}`;

  if (out.hasCredentials) return refuse(out, 'credentials');
  if (out.invalidPort !== undefined) return refuse(out, 'port');

  if (!out.isSalesforceDomain && !out.isLoopback) {
    return refuse(out, 'not-salesforce');
  }
  if (out.kind === 'lightning' || out.kind === 'visualforce' || out.kind === 'setup') {
    return refuse(out, 'not-login-host');
  }
  return out;
}

/** The URL the user typed when it is the one the probe proved (`https://x` for `https://x/`), else the proved one. */
export function asTyped(proved: string | undefined, typed: string): string | undefined {
  if (proved === undefined) return undefined;
  try {
    return new URL(typed.trim()).href === new URL(proved).href ? typed.trim() : proved;
  } catch {
    return proved;
  }
}
