/**
 * Where a realm's KDCs are: the `kdc` relations of its [realms] subsection, or, when there
 * are none and `dns_lookup_kdc` allows, DNS SRV records (as MIT's locate_kdc.c).
 */
import type { KdcAddress, KdcHostAddress } from '../config/kdc-address.js';
import type { Krb5Config } from '../config/krb5-config.js';
import { KdcNotFoundError } from './errors.js';
import { kdcSrvName, nodeSrvResolver, type SrvResolver, sortSrvRecords } from './srv.js';

/** A KDC and where the locator learnt of it. */
export interface LocatedKdc {
  readonly address: KdcAddress;
  readonly source: 'config' | 'dns';
}

export interface LocateKdcsOptions {
  /** SRV lookups (default: node:dns/promises). */
  readonly resolver?: SrvResolver;
  /** `primary_kdc` instead of `kdc` (after a password failure, as MIT's use_primary). */
  readonly primary?: boolean;
}

/** A realm name that can be put in a DNS query. */
function isDnsName(realm: string): boolean {
  return realm.length > 0 && realm.length < 254 && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(realm);
}

/**
 * The KDCs of `realm`, in the order to try them. From krb5.conf when the realm lists any
 * (`kdc`, or `primary_kdc`/`master_kdc` with `primary`); otherwise, if `dns_lookup_kdc` is
 * true, from `_kerberos._udp.REALM` then `_kerberos._tcp.REALM` SRV records, each sorted
 * by priority and weight. Throws KdcNotFoundError (saying why) when there is none.
 */
export async function locateKdcs(
  realm: string,
  config: Krb5Config,
  options: LocateKdcsOptions = {},
): Promise<LocatedKdc[]> {
  const realmConfig = config.realms.get(realm);
  const fromConfig = options.primary ? realmConfig?.primaryKdc : realmConfig?.kdc;
  if (fromConfig !== undefined && fromConfig.length > 0) {
    return fromConfig.map((address) => ({ address, source: 'config' }));
  }
  const what = options.primary ? 'primary_kdc' : 'kdc';
  const inConfig =
    realmConfig === undefined ? `realm ${realm} is not in [realms]` : `[realms] ${realm} has no ${what}`;
  if (!config.libdefaults.dnsLookupKdc) {
    throw new KdcNotFoundError(realm, `${inConfig}, and dns_lookup_kdc is false`);
  }
  if (!isDnsName(realm)) {
    throw new KdcNotFoundError(realm, `${inConfig}, and the realm name cannot be looked up in DNS`);
  }
  const resolver = options.resolver ?? nodeSrvResolver;
  const found: LocatedKdc[] = [];
  const problems: string[] = [];
  for (const transport of ['udp', 'tcp'] as const) {
    const name = kdcSrvName(realm, transport);
    let records: Awaited<ReturnType<SrvResolver['resolveSrv']>>;
    try {
      records = await resolver.resolveSrv(name);
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const record of sortSrvRecords(records)) {
      const address: KdcHostAddress = {
        kind: 'host',
        transport,
        host: record.name,
        port: record.port,
        spec: `${name} SRV ${record.priority} ${record.weight} ${record.port} ${record.name}`,
      };
      found.push({ address, source: 'dns' });
    }
  }
  if (found.length === 0) {
    const dns = problems.length > 0 ? problems.join('; ') : `no SRV records for _kerberos._udp/_tcp.${realm}`;
    throw new KdcNotFoundError(realm, `${inConfig}, and DNS gave none (${dns})`);
  }
  return found;
}
