/** Parsers for MIT klist output, for the interop tests (run klist with TZ=UTC LC_ALL=C). */
import { MIT_ENCTYPE_NAMES } from '@postntlm/interop';

/** The environment that makes klist print `MM/DD/YY HH:MM:SS` in UTC. */
export const KLIST_ENV = { TZ: 'UTC', LC_ALL: 'C' } as const;

const pad = (n: number): string => String(n).padStart(2, '0');

/** A Date as klist prints it under {@link KLIST_ENV}. */
export const klistTime = (d: Date): string =>
  `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)} ` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

export const enctypeName = (n: number): string => MIT_ENCTYPE_NAMES[n] ?? `etype ${n}`;

export interface KlistKey {
  kvno: number;
  time: string;
  principal: string;
  enctype: string;
  key: string;
}

/** `klist -k -K -e -t`: `KVNO MM/DD/YY HH:MM:SS PRINCIPAL (ENCTYPE)  (0xHEX)` lines. */
export function parseKlistKeytab(out: string): KlistKey[] {
  const keys: KlistKey[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+) (\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d) (.+) \(([^()]+)\)\s+\(0x([0-9a-f]+)\)\s*$/.exec(
      line,
    );
    if (m === null) continue;
    keys.push({ kvno: Number(m[1]), time: m[2]!, principal: m[3]!, enctype: m[4]!, key: m[5]! });
  }
  return keys;
}

export interface KlistCred {
  start: string;
  end: string;
  server: string;
  renewUntil?: string;
  flags?: string;
  skey?: string;
  tkt?: string;
}

export interface KlistCache {
  defaultPrincipal: string;
  creds: KlistCred[];
  /** `config: KEY(PRINCIPAL) = VALUE` lines, as printed. */
  config: string[];
}

/** `klist -e -f -C`: the default principal, each credential's fields, the config lines. */
export function parseKlistCache(out: string): KlistCache {
  const result: KlistCache = { defaultPrincipal: '', creds: [], config: [] };
  let current: KlistCred | undefined;
  for (const line of out.split('\n')) {
    const def = /^Default principal: (.+)$/.exec(line);
    if (def) {
      result.defaultPrincipal = def[1]!;
      continue;
    }
    const conf = /^(config: .*)$/.exec(line);
    if (conf) {
      result.config.push(conf[1]!.trimEnd());
      current = undefined;
      continue;
    }
    const cred = /^(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d) {2}(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d) {2}(.+)$/.exec(
      line,
    );
    if (cred) {
      current = { start: cred[1]!, end: cred[2]!, server: cred[3]! };
      result.creds.push(current);
      continue;
    }
    if (current === undefined || !line.startsWith('\t')) continue;
    const etypes = /Etype \(skey, tkt\): ([^,]+), (\S+)/.exec(line);
    if (etypes) {
      current.skey = etypes[1]!;
      current.tkt = etypes[2]!;
      continue;
    }
    for (const field of line.trim().split(', ')) {
      const renew = /^renew until (.+)$/.exec(field);
      if (renew) current.renewUntil = renew[1]!;
      const flags = /^Flags: (.+)$/.exec(field);
      if (flags) current.flags = flags[1]!;
    }
  }
  return result;
}

/** MIT klist's flag letters, in its order (src/clients/klist/klist.c flags_string). */
export function klistFlags(flags: number): string {
  const letters: [number, string][] = [
    [1, 'F'],
    [2, 'f'],
    [3, 'P'],
    [4, 'p'],
    [5, 'D'],
    [6, 'd'],
    [7, 'i'],
    [8, 'R'],
    [9, 'I'],
    [11, 'H'],
    [10, 'A'],
    [12, 'T'],
    [13, 'O'],
    [14, 'a'],
  ];
  return letters
    .filter(([bit]) => (flags & (0x80000000 >>> bit)) !== 0)
    .map(([, l]) => l)
    .join('');
}
