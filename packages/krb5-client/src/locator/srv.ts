/**
 * DNS SRV records for KDCs (RFC 4120 §7.2.3.2: `_kerberos._udp.REALM`, `_kerberos._tcp.REALM`),
 * behind a small interface so that tests and other runtimes can supply their own.
 */
import { resolveSrv } from 'node:dns/promises';

/** One SRV record (RFC 2782). */
export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** Resolves SRV records; resolves [] (or rejects) when there are none. */
export interface SrvResolver {
  resolveSrv(name: string): Promise<readonly SrvRecord[]>;
}

/** Node's resolver (node:dns/promises `resolveSrv`); "no such name/data" resolves []. */
export const nodeSrvResolver: SrvResolver = {
  async resolveSrv(name) {
    try {
      return await resolveSrv(name);
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
      if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
      throw error;
    }
  },
};

/**
 * Orders SRV records: lowest priority first; within a priority, higher weight first, then
 * as received (a deterministic stand-in for RFC 2782's weighted random choice). Drops the
 * "service not available" record (target `.`) and invalid ports; strips the target's final dot.
 */
export function sortSrvRecords(records: readonly SrvRecord[]): SrvRecord[] {
  return records
    .map((r, index) => ({ r, index }))
    .filter(
      ({ r }) => r.name !== '.' && r.name !== '' && Number.isInteger(r.port) && r.port > 0 && r.port < 65536,
    )
    .sort((a, b) => a.r.priority - b.r.priority || b.r.weight - a.r.weight || a.index - b.index)
    .map(({ r }) => ({ ...r, name: r.name.endsWith('.') ? r.name.slice(0, -1) : r.name }));
}

/** The SRV owner name for a realm's KDCs over a transport, fully qualified (as MIT makes it). */
export function kdcSrvName(realm: string, transport: 'udp' | 'tcp'): string {
  return `_kerberos._${transport}.${realm}${realm.endsWith('.') ? '' : '.'}`;
}
