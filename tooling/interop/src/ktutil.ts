import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, type RunResult, requireCommand, run, runChecked } from './process.js';

/** MIT enctype names by RFC 3961 number (what ktutil -e and klist -e use). */
export const MIT_ENCTYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'des3-cbc-sha1',
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'arcfour-hmac',
  25: 'camellia128-cts-cmac',
  26: 'camellia256-cts-cmac',
};

export function mitEnctypeName(enctype: number | string): string {
  if (typeof enctype === 'string') return enctype;
  const name = MIT_ENCTYPE_NAMES[enctype];
  if (name === undefined) throw new Error(`no MIT name known for enctype ${enctype}`);
  return name;
}

export interface PasswordKeyRequest {
  readonly enctype: number | string;
  /** UTF-8 when a string. Cannot contain a newline or NUL (it is typed at ktutil's prompt). */
  readonly password: string | Uint8Array;
  /** UTF-8 when a string; may be empty. Cannot contain control characters (ktutil drops tabs). */
  readonly salt: string | Uint8Array;
  /** Default `interop@INTEROP.TEST`. */
  readonly principal?: string;
  /** Default: the request's position + 1. */
  readonly kvno?: number;
}

export interface KeytabEntry {
  readonly kvno: number;
  readonly principal: string;
  /** MIT enctype name as printed by klist -e */
  readonly enctype: string;
  readonly key: Uint8Array;
}

const bytesOf = (v: string | Uint8Array): Buffer =>
  typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);

/**
 * Quotes one argument for ktutil's command line (the ss library parser): inside double
 * quotes everything is literal except `"`, written `""`. Control characters cannot be
 * passed at all (MIT 1.20's parser silently drops a tab even inside quotes).
 */
export function ktutilQuote(value: string | Uint8Array): Buffer {
  const bytes = bytesOf(value);
  const out: number[] = [0x22];
  for (const b of bytes) {
    if (b < 0x20 || b === 0x7f) {
      throw new Error(`ktutil cannot take control character 0x${b.toString(16)} on its command line`);
    }
    if (b === 0x22) out.push(0x22);
    out.push(b);
  }
  out.push(0x22);
  return Buffer.from(out);
}

/**
 * Runs MIT ktutil with `lines` on stdin (one request or prompt answer per line; `quit`
 * is appended). Resolves whatever the exit code: ktutil reports bad requests on stderr.
 */
export function ktutil(
  lines: readonly (string | Uint8Array)[],
  env: Readonly<Record<string, string>> = {},
): Promise<RunResult> {
  const input = Buffer.concat([...lines, 'quit'].flatMap((l) => [bytesOf(l), Buffer.from('\n')]));
  return run(requireCommand('ktutil', 'MIT ktutil'), [], { input, env, timeoutMs: 120_000 });
}

/** Parses `klist -k -K -e` output: `KVNO PRINCIPAL (ENCTYPE)  (0xHEX)` lines. */
export function parseKlistKeys(text: string): KeytabEntry[] {
  const entries: KeytabEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+\(([^)]+)\)\s+\(0x([0-9a-fA-F]*)\)\s*$/.exec(line);
    if (m === null) continue;
    const [, kvno, principal, enctype, hex] = m;
    if (kvno === undefined || principal === undefined || enctype === undefined || hex === undefined) continue;
    entries.push({ kvno: Number(kvno), principal, enctype, key: new Uint8Array(Buffer.from(hex, 'hex')) });
  }
  return entries;
}

/** Reads every key of a keytab with MIT `klist -k -K -e`. */
export async function readKeytab(
  keytab: string,
  env: Readonly<Record<string, string>> = {},
): Promise<KeytabEntry[]> {
  const klistPath = requireCommand('klist', 'MIT klist');
  const result = await runChecked(klistPath, ['-k', '-K', '-e', keytab], { env });
  return parseKlistKeys(result.stdout);
}

/**
 * Keys made by MIT's own string-to-key, offline (no KDC): one ktutil session with
 * `addent -password -p P -k N -e ENCTYPE -s SALT` + the password per request, `wkt` to a
 * temp keytab, then `klist -k -K -e`. Returns one entry per request, in order.
 * (ktutil cannot set string-to-key parameters such as an iteration count: see
 * {@link mitStringToKey} for that.)
 */
export async function ktutilStringToKeys(requests: readonly PasswordKeyRequest[]): Promise<KeytabEntry[]> {
  // PBKDF2 with 32768 iterations takes MIT tens of milliseconds per key: spread big batches
  // over parallel ktutil sessions (at least 16 keys each).
  const sessions = Math.max(1, Math.min(availableParallelism(), Math.floor(requests.length / 16)));
  if (sessions === 1) return ktutilSession(requests, 0);
  const size = Math.ceil(requests.length / sessions);
  const chunks: Promise<KeytabEntry[]>[] = [];
  for (let start = 0; start < requests.length; start += size) {
    chunks.push(ktutilSession(requests.slice(start, start + size), start));
  }
  return (await Promise.all(chunks)).flat();
}

async function ktutilSession(
  requests: readonly PasswordKeyRequest[],
  offset: number,
): Promise<KeytabEntry[]> {
  const dir = await mkdtemp(join(tmpdir(), 'postntlm-ktutil-'));
  try {
    const conf = join(dir, 'krb5.conf');
    await writeFile(conf, '[libdefaults]\n\tdefault_realm = INTEROP.TEST\n\tdns_lookup_kdc = false\n');
    const env = {
      KRB5_CONFIG: conf,
      KRB5CCNAME: `FILE:${join(dir, 'ccache')}`,
      KRB5_KTNAME: `FILE:${join(dir, 'none.keytab')}`,
    };
    const keytab = join(dir, 'out.keytab');
    const lines: Buffer[] = [];
    requests.forEach((r, i) => {
      const password = bytesOf(r.password);
      if (password.includes(0x0a) || password.includes(0x00)) {
        throw new Error(
          `request ${offset + i}: a password typed at ktutil's prompt cannot contain a newline or NUL`,
        );
      }
      const enctype = mitEnctypeName(r.enctype);
      if (!/^[a-z0-9-]+$/.test(enctype))
        throw new Error(`request ${offset + i}: bad enctype name ${enctype}`);
      const kvno = r.kvno ?? offset + i + 1;
      lines.push(
        Buffer.concat([
          Buffer.from('addent -password -p '),
          ktutilQuote(r.principal ?? 'interop@INTEROP.TEST'),
          Buffer.from(` -k ${kvno} -e ${enctype} -s `),
          ktutilQuote(r.salt),
        ]),
        password,
      );
    });
    lines.push(Buffer.concat([Buffer.from('wkt '), ktutilQuote(keytab)]));
    const result = await ktutil(lines, env);
    if (result.code !== 0 || result.stderr.trim() !== '') {
      throw new Error(`ktutil reported a problem: ${describeFailure('ktutil', [], result)}`);
    }
    const entries = await readKeytab(keytab, env);
    if (entries.length !== requests.length) {
      throw new Error(`ktutil wrote ${entries.length} keys for ${requests.length} requests`);
    }
    entries.forEach((e, i) => {
      const wanted = mitEnctypeName(requests[i]?.enctype ?? '');
      if (e.enctype !== wanted) throw new Error(`key ${i}: ktutil wrote ${e.enctype}, asked for ${wanted}`);
    });
    return entries;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
