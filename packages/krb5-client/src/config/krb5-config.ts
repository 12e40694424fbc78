/**
 * A typed view of krb5.conf (MIT krb5.conf(5)) over a parsed Profile: the [libdefaults]
 * PostNTLM uses, with MIT's defaults where the file is silent, the [realms] contact
 * information, [domain_realm] and [capaths]. Values that cannot be read are a
 * Krb5ConfigError naming the file and line, never silently replaced by a default.
 */
import { Krb5ConfigError, type ProfileOrigin } from './errors.js';
import { type KdcAddress, parseKdcAddress } from './kdc-address.js';
import { Profile, type ProfileRelation } from './profile.js';
import { DEFAULT_ENCTYPES, parseBoolean, parseDuration, parseEnctypeList, parseInteger } from './values.js';

/** MIT's `DEFAULT_UDP_PREF_LIMIT` (sendto_kdc.c). */
export const DEFAULT_UDP_PREFERENCE_LIMIT = 1465;
/** MIT's `HARD_UDP_LIMIT`: larger udp_preference_limit values are clamped to it. */
export const HARD_UDP_PREFERENCE_LIMIT = 32700;

/** [libdefaults] relations PostNTLM reads; durations in seconds. */
export interface Libdefaults {
  /** `default_realm`; undefined when not set. */
  readonly defaultRealm: string | undefined;
  /** `dns_lookup_kdc` (MIT default: true): SRV records when a realm lists no KDC. */
  readonly dnsLookupKdc: boolean;
  /** `dns_lookup_realm` (default false). */
  readonly dnsLookupRealm: boolean;
  /** `udp_preference_limit` in bytes (default 1465; negative → 1465; at most 32700, as MIT). */
  readonly udpPreferenceLimit: number;
  /** `permitted_enctypes` (default: AES, see DEFAULT_ENCTYPES). */
  readonly permittedEnctypes: readonly number[];
  /** `default_tkt_enctypes` (AS-REQ); default: permittedEnctypes (MIT ≥ 1.18). */
  readonly defaultTktEnctypes: readonly number[];
  /** `default_tgs_enctypes` (TGS-REQ); default: permittedEnctypes. */
  readonly defaultTgsEnctypes: readonly number[];
  /** `allow_weak_crypto` (default false). */
  readonly allowWeakCrypto: boolean;
  /** `clockskew` in seconds (default 300). */
  readonly clockskew: number;
  /** `forwardable` (default false). */
  readonly forwardable: boolean;
  /** `proxiable` (default false). */
  readonly proxiable: boolean;
  /** `renew_lifetime` in seconds (default 0: not renewable). */
  readonly renewLifetime: number;
  /** `ticket_lifetime` in seconds (default 1 day). */
  readonly ticketLifetime: number;
  /** `rdns` (default true). */
  readonly rdns: boolean;
  /** `dns_canonicalize_hostname`: true (default), false or `fallback` (MIT ≥ 1.18). */
  readonly dnsCanonicalizeHostname: boolean | 'fallback';
  /** `canonicalize` (default false). */
  readonly canonicalize: boolean;
  /** `noaddresses` (default true). */
  readonly noaddresses: boolean;
  /**
   * `kdc_timeout` in seconds (Heimdal's name; MIT has none): how long one try waits for a KDC
   * (default 3). PostNTLM's sendToKdc uses it as the per-try timeout.
   */
  readonly kdcTimeout: number;
  /** `max_retries` (Heimdal's name): passes over the KDC list (default 3, at least 1). */
  readonly maxRetries: number;
  /** `request_timeout` in seconds (MIT 1.22): total time for a KDC request; 0 = no limit (default). */
  readonly requestTimeout: number;
}

/** One realm of [realms]. */
export interface RealmConfig {
  readonly name: string;
  /** `kdc` entries in order. */
  readonly kdc: readonly KdcAddress[];
  /** `primary_kdc` (or its old name `master_kdc`). */
  readonly primaryKdc: readonly KdcAddress[];
  /** `admin_server` entries as written (`host[:port]`). */
  readonly adminServer: readonly string[];
  /** `kpasswd_server` entries (default port 464). */
  readonly kpasswdServer: readonly KdcAddress[];
  /** `default_domain`. */
  readonly defaultDomain: string | undefined;
}

/** One [domain_realm] relation: `domain` (or `.domain`: subdomains only) → realm. */
export interface DomainRealmRule {
  readonly domain: string;
  readonly realm: string;
  readonly origin: ProfileOrigin;
}

/** The typed configuration. */
export interface Krb5Config {
  readonly libdefaults: Libdefaults;
  /** [realms] by realm name (case-sensitive, as realm names are). */
  readonly realms: ReadonlyMap<string, RealmConfig>;
  /** [domain_realm] in file order. */
  readonly domainRealm: readonly DomainRealmRule[];
  /** [capaths]: client realm → server realm → intermediate realms (`.`: direct). */
  readonly capaths: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** The profile it was read from, for relations this view does not cover. */
  readonly profile: Profile;
}

type Lookup = (tag: string) => ProfileRelation | undefined;

function libdefaultsLookup(profile: Profile, realm: string | undefined): Lookup {
  return (tag) =>
    (realm === undefined ? undefined : profile.relation('libdefaults', realm, tag)) ??
    profile.relation('libdefaults', tag);
}

function fail(relation: string, r: ProfileRelation, reason: string): never {
  throw new Krb5ConfigError(relation, r.value, reason, r.origin);
}

function readBoolean(get: Lookup, tag: string, fallback: boolean): boolean {
  const r = get(tag);
  if (r === undefined) return fallback;
  const v = parseBoolean(r.value);
  if (v === undefined) fail(`libdefaults.${tag}`, r, 'not a boolean (true/false, yes/no, 1/0, on/off)');
  return v;
}

function readInteger(get: Lookup, tag: string, fallback: number): number {
  const r = get(tag);
  if (r === undefined) return fallback;
  const v = parseInteger(r.value);
  if (v === undefined) fail(`libdefaults.${tag}`, r, 'not a 32-bit integer');
  return v;
}

function readDuration(get: Lookup, tag: string, fallback: number): number {
  const r = get(tag);
  if (r === undefined) return fallback;
  const v = parseDuration(r.value);
  if (v === undefined) {
    fail(`libdefaults.${tag}`, r, 'not a duration (seconds, "1h30m", "10d 0h", "36:00" or "1-02:03:04")');
  }
  return v;
}

function readEnctypes(get: Lookup, tag: string, fallback: readonly number[]): readonly number[] {
  const r = get(tag);
  if (r === undefined) return fallback;
  const list = parseEnctypeList(r.value);
  if (list.enctypes.length === 0) {
    const why = [...list.unsupported, ...list.unknown];
    fail(
      `libdefaults.${tag}`,
      r,
      `no enctype that PostNTLM supports${why.length > 0 ? ` (not supported or unknown: ${why.join(', ')})` : ''}`,
    );
  }
  return Object.freeze([...list.enctypes]);
}

/**
 * The [libdefaults] for `realm`: a relation in the realm's subsection of [libdefaults]
 * (`[libdefaults] EXAMPLE.COM = { forwardable = false }`) wins over the general one, as in
 * MIT's `krb5int_libdefault_*`. Without `realm`, the general values.
 */
export function readLibdefaults(profile: Profile, realm?: string): Libdefaults {
  const get = libdefaultsLookup(profile, realm);
  const defaultRealmRelation = get('default_realm');
  let udpPreferenceLimit = readInteger(get, 'udp_preference_limit', DEFAULT_UDP_PREFERENCE_LIMIT);
  if (udpPreferenceLimit < 0) udpPreferenceLimit = DEFAULT_UDP_PREFERENCE_LIMIT;
  if (udpPreferenceLimit > HARD_UDP_PREFERENCE_LIMIT) udpPreferenceLimit = HARD_UDP_PREFERENCE_LIMIT;
  const permittedEnctypes = readEnctypes(get, 'permitted_enctypes', DEFAULT_ENCTYPES);
  const canon = get('dns_canonicalize_hostname');
  let dnsCanonicalizeHostname: boolean | 'fallback' = true;
  if (canon !== undefined) {
    if (canon.value.trim().toLowerCase() === 'fallback') dnsCanonicalizeHostname = 'fallback';
    else {
      const v = parseBoolean(canon.value);
      if (v === undefined)
        fail('libdefaults.dns_canonicalize_hostname', canon, 'not true, false or fallback');
      dnsCanonicalizeHostname = v;
    }
  }
  const maxRetries = readInteger(get, 'max_retries', 3);
  if (maxRetries < 1) fail('libdefaults.max_retries', get('max_retries')!, 'must be at least 1');
  const kdcTimeout = readDuration(get, 'kdc_timeout', 3);
  if (kdcTimeout < 1) fail('libdefaults.kdc_timeout', get('kdc_timeout')!, 'must be at least 1 second');
  const defaultRealm = defaultRealmRelation?.value;
  return Object.freeze({
    defaultRealm: defaultRealm === undefined || defaultRealm === '' ? undefined : defaultRealm,
    dnsLookupKdc: readBoolean(get, 'dns_lookup_kdc', true),
    dnsLookupRealm: readBoolean(get, 'dns_lookup_realm', false),
    udpPreferenceLimit,
    permittedEnctypes,
    defaultTktEnctypes: readEnctypes(get, 'default_tkt_enctypes', permittedEnctypes),
    defaultTgsEnctypes: readEnctypes(get, 'default_tgs_enctypes', permittedEnctypes),
    allowWeakCrypto: readBoolean(get, 'allow_weak_crypto', false),
    clockskew: readDuration(get, 'clockskew', 300),
    forwardable: readBoolean(get, 'forwardable', false),
    proxiable: readBoolean(get, 'proxiable', false),
    renewLifetime: readDuration(get, 'renew_lifetime', 0),
    ticketLifetime: readDuration(get, 'ticket_lifetime', 86400),
    rdns: readBoolean(get, 'rdns', true),
    dnsCanonicalizeHostname,
    canonicalize: readBoolean(get, 'canonicalize', false),
    noaddresses: readBoolean(get, 'noaddresses', true),
    kdcTimeout,
    maxRetries,
    requestTimeout: readDuration(get, 'request_timeout', 0),
  });
}

function readAddresses(profile: Profile, realm: string, tag: string, defaultPort: number): KdcAddress[] {
  return profile.relations('realms', realm, tag).map((r) => {
    const parsed = parseKdcAddress(r.value, defaultPort);
    if (!parsed.ok) fail(`realms.${realm}.${tag}`, r, parsed.reason);
    return parsed.address;
  });
}

function readRealm(profile: Profile, name: string): RealmConfig {
  let primaryKdc = readAddresses(profile, name, 'primary_kdc', 88);
  if (primaryKdc.length === 0) primaryKdc = readAddresses(profile, name, 'master_kdc', 88);
  return Object.freeze({
    name,
    kdc: Object.freeze(readAddresses(profile, name, 'kdc', 88)),
    primaryKdc: Object.freeze(primaryKdc),
    adminServer: Object.freeze(profile.values('realms', name, 'admin_server')),
    kpasswdServer: Object.freeze(readAddresses(profile, name, 'kpasswd_server', 464)),
    defaultDomain: profile.value('realms', name, 'default_domain'),
  });
}

/**
 * Reads the typed configuration from a profile. Throws Krb5ConfigError (file, line,
 * relation) for a value it cannot use; relations it does not know are ignored.
 */
export function readKrb5Config(profile: Profile): Krb5Config {
  const realms = new Map<string, RealmConfig>();
  for (const name of profile.subsectionNames('realms')) realms.set(name, readRealm(profile, name));

  const domainRealm: DomainRealmRule[] = [];
  for (const node of profile.section('domain_realm')?.children ?? []) {
    if (node.kind === 'relation') {
      domainRealm.push(Object.freeze({ domain: node.name, realm: node.value, origin: node.origin }));
    }
  }

  const capaths = new Map<string, Map<string, string[]>>();
  for (const client of profile.subsectionNames('capaths')) {
    const paths = new Map<string, string[]>();
    for (const server of profile.relationNames('capaths', client)) {
      paths.set(server, profile.values('capaths', client, server));
    }
    capaths.set(client, paths);
  }

  return Object.freeze({
    libdefaults: readLibdefaults(profile),
    realms,
    domainRealm: Object.freeze(domainRealm),
    capaths,
    profile,
  });
}

/** The configuration of an empty krb5.conf: every default. */
export function defaultKrb5Config(): Krb5Config {
  return readKrb5Config(
    new Profile(
      { kind: 'section', name: '', final: false, children: [], origin: { file: '<root>', line: 0 } },
      [],
      [],
    ),
  );
}

/** The [libdefaults] that apply to `realm` (its [libdefaults] subsection, then the general ones). */
export function libdefaultsForRealm(config: Krb5Config, realm: string): Libdefaults {
  return config.profile.section('libdefaults', realm) === undefined
    ? config.libdefaults
    : readLibdefaults(config.profile, realm);
}

/** True for an IPv4 or IPv6 literal (MIT does not look addresses up in [domain_realm]). */
function isNumericAddress(host: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return true;
  return host.includes(':') && /^[0-9a-fA-F:.]+(%.+)?$/.test(host);
}

function cleanHost(host: string): string {
  let h = host.trim().toLowerCase();
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/**
 * The realm [domain_realm] gives a host (MIT's "profile" host-realm module): the host name
 * (lower-cased, trailing dot removed), then each suffix with and without its leading dot
 * — `a.b.c`, `.b.c`, `b.c`, `.c`, `c` — first match wins. So `example.com = R` covers the
 * host and every subdomain, `.example.com = R` only subdomains. Undefined when no rule
 * applies, and for IP addresses.
 */
export function realmForHost(config: Krb5Config, host: string): string | undefined {
  const h = cleanHost(host);
  if (h === '' || isNumericAddress(h)) return undefined;
  let p: string | undefined = h;
  while (p !== undefined && p !== '') {
    const realm = config.profile.value('domain_realm', p);
    if (realm !== undefined) return realm;
    if (p.startsWith('.')) p = p.slice(1);
    else {
      const dot = p.indexOf('.');
      p = dot < 0 ? undefined : p.slice(dot);
    }
  }
  return undefined;
}

/**
 * The realm of a host when [domain_realm] says nothing (MIT's "domain" module): the host's
 * domain upper-cased (`kdc.example.com` → `EXAMPLE.COM`); for a single-label host or an
 * IP address, `default_realm`.
 */
export function fallbackRealmForHost(config: Krb5Config, host: string): string | undefined {
  const h = cleanHost(host);
  const dot = h.indexOf('.');
  if (h === '' || isNumericAddress(h) || dot < 0 || dot === h.length - 1)
    return config.libdefaults.defaultRealm;
  return h.slice(dot + 1).toUpperCase();
}
