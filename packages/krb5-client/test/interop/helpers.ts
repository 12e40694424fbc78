/** Shared bits of the interop tests against MIT krb5 1.20 (tooling/interop). */
import { readFile } from 'node:fs/promises';
import type { MitKdc } from '@postntlm/interop';
import { type KeytabEntry, readKeytab } from '@postntlm/krb5-messages';
import { type Krb5Config, loadKrb5Config } from '../../src/config/index.js';

/** MIT's names of the enctypes the tests force one at a time. */
export const MIT_ETYPE_NAMES: Readonly<Record<number, string>> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
};

/** The KDC's own client profile (kdc = 127.0.0.1:PORT, default_realm MIT.TEST, forwardable). */
export function kdcConfig(kdc: MitKdc): Promise<Krb5Config> {
  return loadKrb5Config(kdc.files.krb5Conf);
}

/** A keytab of the KDC directory, read with krb5-messages' reader. */
export async function keytab(path: string): Promise<KeytabEntry[]> {
  return readKeytab(new Uint8Array(await readFile(path)));
}

/** How MIT klist prints a time in the C locale with TZ=UTC: `11/22/26 01:07:15`. */
export function klistTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${p(date.getUTCFullYear() % 100)} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

/** The lines of the KDC log written since `from` characters. */
export async function kdcLogSince(kdc: MitKdc, from: number): Promise<string[]> {
  const text = await readFile(kdc.files.log, 'utf8');
  return text
    .slice(from)
    .split('\n')
    .filter((l) => l.trim() !== '');
}

/** The current length of the KDC log (a mark for `kdcLogSince`). */
export async function kdcLogMark(kdc: MitKdc): Promise<number> {
  return (await readFile(kdc.files.log, 'utf8')).length;
}
