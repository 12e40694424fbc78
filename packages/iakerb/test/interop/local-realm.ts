/**
 * An in-process Local KDC engine for the interop tests: a generated realm
 * (`LOCALKDC.<UUID>`), alice (password) and host/localhost (random keys, in `keytab`), and
 * every audit event it wrote (with the transport each request arrived over).
 */
import { cryptoRandom } from '@postntlm/krb5-client';
import type { KeytabEntry } from '@postntlm/krb5-messages';
import {
  type AuditEvent,
  createKdc,
  currentKeys,
  generateRealm,
  type Kdc,
  MemoryPrincipalStore,
} from '@postntlm/local-kdc';

export const ALICE_PASSWORD = 'alice-Passw0rd';
export const SERVICE = 'host/localhost';

export interface LocalRealm {
  readonly realm: string;
  readonly kdc: Kdc;
  readonly keytab: KeytabEntry[];
  /** Every audit event so far, in order. */
  readonly audit: AuditEvent[];
}

export async function localRealm(): Promise<LocalRealm> {
  const realm = generateRealm(cryptoRandom);
  const store = new MemoryPrincipalStore(realm);
  await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true });
  await store.addPrincipal('alice', { password: ALICE_PASSWORD });
  const service = await store.addPrincipal(SERVICE, { randomKey: true });
  const audit: AuditEvent[] = [];
  const kdc = createKdc({ realm, store, audit: { write: (e) => void audit.push(e) } });
  const keytab = currentKeys(service).map((k) => ({
    principal: service.principal,
    timestamp: new Date(0),
    kvno: k.kvno,
    key: { enctype: k.key.enctype, bytes: k.key.bytes },
  }));
  return { realm, kdc, keytab, audit };
}

/** `event status transport client -> server` per audit event. */
export function auditSummary(events: readonly AuditEvent[]): string[] {
  const name = (p: AuditEvent['req.client']) =>
    p === undefined ? '?' : `${p.components.join('/')}@${p.realm}`;
  return events.map(
    (e) =>
      `${e.event_name} ${e.kdc_status} ${e.transport} ${name(e['req.client'])} -> ${name(e['req.server'])}`,
  );
}

/** The audit lines of one password login plus one host/localhost ticket over `transport`. */
export function expectedExchange(realm: string, transport: string): string[] {
  const alice = `alice@${realm}`;
  return [
    `as_req NEEDED_PREAUTH ${transport} ${alice} -> krbtgt/${realm}@${realm}`,
    `as_req ISSUE ${transport} ${alice} -> krbtgt/${realm}@${realm}`,
    `tgs_req ISSUE ${transport} ${alice} -> ${SERVICE}@${realm}`,
  ];
}

/** Waits (≤ 2 s) until `events` holds at least `n` entries (the sink is written around the reply). */
export async function auditAtLeast(events: readonly AuditEvent[], n: number): Promise<void> {
  const deadline = Date.now() + 2000;
  while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
