/** The PAC a KDC issues for a user, from a few account facts (what `PacInput` holds). */

import { encodeAttributesInfo, encodeRequestor, PAC_WAS_REQUESTED } from './attributes.js';
import { dateToFiletime, FILETIME_NEVER, FILETIME_NONE } from './bytes.js';
import { encodeClientInfo } from './client-info.js';
import { check } from './errors.js';
import {
  encodeLogonInfo,
  type KerbValidationInfo,
  LOGON_EXTRA_SIDS,
  SE_GROUP_DEFAULT,
  type SidAndAttributes,
  USER_DONT_EXPIRE_PASSWORD,
  USER_NORMAL_ACCOUNT,
} from './logon-info.js';
import { type PacBuffer, PacBufferType } from './pactype.js';
import { parseSid, type Sid, sidWithRid } from './sid.js';
import {
  type AuthorizationDataElement,
  type PacKeys,
  signPacAuthorizationData,
  type TicketSigning,
} from './sign.js';
import { encodeUpnDnsInfo, UPN_DNS_FLAG_CONSTRUCTED } from './upn-dns-info.js';

/** Domain Users, the default primary group. */
export const DOMAIN_USERS_RID = 513;

export interface PacInput {
  /** sAMAccountName: KERB_VALIDATION_INFO EffectiveName and UPN_DNS_INFO SamName. */
  readonly samAccountName: string;
  /** Display name (FullName); default empty. */
  readonly fullName?: string | undefined;
  /** userPrincipalName; default `samAccountName@dnsDomainName` with the U flag (constructed). */
  readonly userPrincipalName?: string | undefined;
  /** DNS domain name, e.g. the realm `EXAMPLE.COM`. */
  readonly dnsDomainName: string;
  /** NetBIOS domain name (LogonDomainName), e.g. `EXAMPLE`. */
  readonly netbiosDomainName: string;
  /** NetBIOS name of the KDC host (LogonServer); default empty. */
  readonly logonServer?: string | undefined;
  /** The domain SID `S-1-5-21-a-b-c` (LogonDomainId). */
  readonly domainSid: Sid | string;
  /** The user's RID (UserId); the user SID is domainSid-RID. */
  readonly userRid: number;
  /** PrimaryGroupId; default 513 (Domain Users). */
  readonly primaryGroupRid?: number | undefined;
  /** Further domain group RIDs (GroupIds also lists the primary group, first). */
  readonly groupRids?: readonly number[] | undefined;
  /** SIDs outside the domain (ExtraSids; sets LOGON_EXTRA_SIDS). */
  readonly extraSids?: readonly SidAndAttributes[] | undefined;
  /** The ticket's authtime: LogonTime and PAC_CLIENT_INFO ClientId (whole seconds). */
  readonly authTime: Date;
  /** PAC_CLIENT_INFO name: the ticket's cname without realm; default `samAccountName`. */
  readonly clientName?: string | undefined;
  /** PasswordLastSet; default none (0). */
  readonly passwordLastSet?: Date | undefined;
  /** UserAccountControl; default USER_NORMAL_ACCOUNT | USER_DONT_EXPIRE_PASSWORD. */
  readonly userAccountControl?: number | undefined;
  /** PAC_ATTRIBUTES_INFO flags (2 bits); default PAC_WAS_REQUESTED; null omits the buffer. */
  readonly attributes?: number | null | undefined;
  /** Add PAC_REQUESTOR with the user SID; default true. */
  readonly requestor?: boolean | undefined;
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/** The KERB_VALIDATION_INFO for `input`. */
export function validationInfo(input: PacInput): KerbValidationInfo {
  const domainSid = typeof input.domainSid === 'string' ? parseSid(input.domainSid) : input.domainSid;
  const primary = input.primaryGroupRid ?? DOMAIN_USERS_RID;
  const rids = [primary, ...(input.groupRids ?? []).filter((r) => r !== primary)];
  const groups = [...new Set(rids)].map((relativeId) => ({ relativeId, attributes: SE_GROUP_DEFAULT }));
  const extra = input.extraSids !== undefined && input.extraSids.length > 0 ? input.extraSids : null;
  return {
    logonTime: dateToFiletime(wholeSeconds(input.authTime)),
    logoffTime: FILETIME_NEVER,
    kickOffTime: FILETIME_NEVER,
    passwordLastSet:
      input.passwordLastSet === undefined ? FILETIME_NONE : dateToFiletime(input.passwordLastSet),
    passwordCanChange: FILETIME_NONE,
    passwordMustChange: FILETIME_NEVER,
    effectiveName: input.samAccountName,
    fullName: input.fullName ?? '',
    logonScript: '',
    profilePath: '',
    homeDirectory: '',
    homeDirectoryDrive: '',
    logonCount: 0,
    badPasswordCount: 0,
    userId: input.userRid,
    primaryGroupId: primary,
    groupIds: groups,
    userFlags: extra === null ? 0 : LOGON_EXTRA_SIDS,
    userSessionKey: new Uint8Array(16),
    logonServer: input.logonServer ?? '',
    logonDomainName: input.netbiosDomainName,
    logonDomainId: domainSid,
    reserved1: [0, 0],
    userAccountControl: input.userAccountControl ?? USER_NORMAL_ACCOUNT | USER_DONT_EXPIRE_PASSWORD,
    subAuthStatus: 0,
    lastSuccessfulILogon: FILETIME_NONE,
    lastFailedILogon: FILETIME_NONE,
    failedILogonCount: 0,
    reserved3: 0,
    extraSids: extra,
    resourceGroupDomainSid: null,
    resourceGroupIds: null,
  };
}

/**
 * The unsigned PAC buffers for `input`, in Windows' order: LOGON_INFO, CLIENT_INFO,
 * UPN_DNS_INFO (with SamName and SID), ATTRIBUTES_INFO, REQUESTOR. Signatures are added
 * by `signPac` / `signPacAuthorizationData`.
 */
export function pacBuffers(input: PacInput): PacBuffer[] {
  check(input.samAccountName.length > 0, 'samAccountName is empty');
  check(
    Number.isInteger(input.userRid) && input.userRid >= 0 && input.userRid <= 0xffffffff,
    'userRid out of range',
  );
  const domainSid = typeof input.domainSid === 'string' ? parseSid(input.domainSid) : input.domainSid;
  const userSid = sidWithRid(domainSid, input.userRid);
  const buffers: PacBuffer[] = [
    { type: PacBufferType.LOGON_INFO, data: encodeLogonInfo(validationInfo(input)) },
    {
      type: PacBufferType.CLIENT_INFO,
      data: encodeClientInfo({
        clientId: dateToFiletime(wholeSeconds(input.authTime)),
        name: input.clientName ?? input.samAccountName,
      }),
    },
    {
      type: PacBufferType.UPN_DNS_INFO,
      data: encodeUpnDnsInfo({
        upn: input.userPrincipalName ?? `${input.samAccountName}@${input.dnsDomainName.toLowerCase()}`,
        dnsDomainName: input.dnsDomainName.toUpperCase(),
        flags: input.userPrincipalName === undefined ? UPN_DNS_FLAG_CONSTRUCTED : 0,
        samName: input.samAccountName,
        sid: userSid,
      }),
    },
  ];
  const attributes = input.attributes === undefined ? PAC_WAS_REQUESTED : input.attributes;
  if (attributes !== null) {
    buffers.push({
      type: PacBufferType.ATTRIBUTES_INFO,
      data: encodeAttributesInfo({ flagsLength: 2, flags: attributes }),
    });
  }
  if (input.requestor !== false)
    buffers.push({ type: PacBufferType.REQUESTOR, data: encodeRequestor(userSid) });
  return buffers;
}

/**
 * Builds and signs a PAC and returns the ticket's first authorization-data element,
 * AD-IF-RELEVANT { AD-WIN2K-PAC (128) = PAC }. See `signPacAuthorizationData` for `ticket`.
 */
export function buildPacAuthorizationData(
  input: PacInput,
  keys: PacKeys,
  ticket?: TicketSigning,
): AuthorizationDataElement {
  return signPacAuthorizationData(pacBuffers(input), keys, ticket);
}
