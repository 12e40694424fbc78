/**
 * The PAC in issued tickets (policy `issuePac`, off by default): built from the store for
 * TGTs and initial tickets, checked in a presented TGT, and rebuilt for service tickets
 * with the ticket and full signatures of current Windows KDCs (MS-PAC §2.8).
 */
import type { Key } from '@postntlm/krb5-crypto';
import {
  type AuthorizationData,
  decode,
  type PaData,
  PaDataType,
  PaPacRequest,
  type PrincipalName,
} from '@postntlm/krb5-messages';
import type { PacInput } from '../pac/build.js';
import { parsePac } from '../pac/pac.js';
import { findPac, verifyPac } from '../pac/sign.js';
import type { PrincipalEntry } from '../store/principal-store.js';
import type { KdcContext } from './context.js';

/** What `makeTicket` needs to put a PAC in: the PAC's contents and its two signing keys. */
export interface TicketPac {
  readonly input: PacInput;
  /** `server`: the key the ticket is encrypted in; `kdc`: the realm's krbtgt key. */
  readonly keys: { readonly server: Key; readonly kdc: Key };
  /** Service tickets also get the ticket and full signatures (not TGTs). */
  readonly service: boolean;
}

/** Whether the client asked for no PAC (PA-PAC-REQUEST include-pac FALSE, MS-KILE §2.2.3). */
export function pacDeclined(padata: readonly PaData[] | undefined): boolean {
  const p = padata?.find((x) => x.padataType === PaDataType.PA_PAC_REQUEST);
  if (p === undefined) return false;
  try {
    return !decode(PaPacRequest, p.padataValue).includePac;
  } catch {
    return false;
  }
}

/** The NetBIOS-style domain name: the realm's first label, at most 15 characters. */
function netbiosName(realm: string): string {
  return (realm.split('.')[0] ?? realm).slice(0, 15).toUpperCase();
}

/** The PAC contents for `client` (its RID from the store; the realm's domain SID). */
export function pacInput(
  ctx: KdcContext,
  client: PrincipalEntry | undefined,
  cname: PrincipalName,
  authtime: Date,
): PacInput {
  const name = cname.nameString.join('/');
  return {
    samAccountName: name,
    clientName: name,
    userPrincipalName: `${name}@${ctx.realm}`,
    dnsDomainName: ctx.realm,
    netbiosDomainName: ctx.policy.pacNetbiosName ?? netbiosName(ctx.realm),
    domainSid: ctx.domainSid,
    userRid: client?.attributes.rid ?? 1000,
    authTime: authtime,
  };
}

/** Authorization data without the PAC element (it is rebuilt, never copied). */
export function withoutPac(ad: AuthorizationData | undefined): AuthorizationData {
  if (ad === undefined) return [];
  return ad.filter((e) => findPac([e]) === undefined);
}

/** Checks the PAC of a presented TGT, when it has one: both signatures with the krbtgt key. Throws PacError. */
export function checkTgtPac(ad: AuthorizationData | undefined, krbtgtKey: Key): void {
  const bytes = findPac(ad);
  if (bytes === undefined) return;
  verifyPac(parsePac(bytes), { server: krbtgtKey, kdc: krbtgtKey });
}
