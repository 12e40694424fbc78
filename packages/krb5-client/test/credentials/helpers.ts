/** Fixtures for the credential store tests: credentials with well-formed (unencrypted) tickets. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, type KeytabEntry, type Principal, parsePrincipal, Ticket } from '@postntlm/krb5-messages';
import { afterEach } from 'vitest';
import type { Credential } from '../../src/exchange/credential.js';

export const ALICE = parsePrincipal('alice@EXAMPLE.TEST');
export const BOB = parsePrincipal('bob@EXAMPLE.TEST');
export const TGT_SERVER = parsePrincipal('krbtgt/EXAMPLE.TEST@EXAMPLE.TEST');
export const CIFS = parsePrincipal('cifs/fs.example.test@EXAMPLE.TEST', { nameType: 3 });

/** A ticket for `server` whose enc-part is `marker` repeated (never decrypted by these tests). */
export function ticketFor(server: Principal, marker = 1, kvno = 2): Uint8Array {
  return encode(Ticket, {
    tktVno: 5,
    realm: server.realm,
    sname: server.name,
    encPart: { etype: 18, kvno, cipher: new Uint8Array(48).fill(marker) },
  });
}

/** Whole seconds (ccache files store seconds). */
export const seconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

export function credential(
  server: Principal,
  options: {
    client?: Principal;
    marker?: number;
    start?: number;
    lifetimeMs?: number;
    renewable?: boolean;
  } = {},
): Credential {
  const start = options.start ?? Date.now() - 60_000;
  return {
    client: options.client ?? ALICE,
    server,
    sessionKey: { enctype: 18, bytes: new Uint8Array(32).fill(options.marker ?? 1) },
    authtime: seconds(start),
    starttime: undefined,
    endtime: seconds(start + (options.lifetimeMs ?? 10 * 3600_000)),
    renewTill: options.renewable === true ? seconds(start + 7 * 86400_000) : undefined,
    flags: 0x40e10000 >>> 0,
    ticket: ticketFor(server, options.marker ?? 1),
    ticketEnctype: 18,
    ticketKvno: 2,
    addresses: [],
    kdcTimeOffsetMs: 0,
    keyExpiration: undefined,
    encPartTag: undefined,
  };
}

export function keytabEntry(
  principal: Principal | string,
  kvno: number,
  enctype: number,
  fill: number,
): KeytabEntry {
  const length = enctype === 17 || enctype === 19 ? 16 : 32;
  return {
    principal: typeof principal === 'string' ? parsePrincipal(principal) : principal,
    timestamp: seconds(Date.UTC(2026, 0, 2, 3, 4, 5)),
    kvno,
    key: { enctype, bytes: new Uint8Array(length).fill(fill) },
  };
}

/** `const tmp = useTempDirs()`; `await tmp()` gives a fresh directory, removed after the test. */
export function useTempDirs(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  return async () => {
    const d = await mkdtemp(join(tmpdir(), 'postntlm-creds-'));
    dirs.push(d);
    return d;
  };
}
