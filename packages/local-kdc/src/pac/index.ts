/**
 * MS-PAC: building, signing, parsing and verifying the Privilege Attribute Certificate a
 * KDC puts in tickets (AD-IF-RELEVANT { AD-WIN2K-PAC }). Off by default in the KDC:
 * Samba standalone servers reject tickets with a PAC.
 */
export {
  decodeAttributesInfo,
  decodeRequestor,
  encodeAttributesInfo,
  encodeRequestor,
  PAC_WAS_GIVEN_IMPLICITLY,
  PAC_WAS_REQUESTED,
  type PacAttributesInfo,
} from './attributes.js';
export {
  buildPacAuthorizationData,
  DOMAIN_USERS_RID,
  type PacInput,
  pacBuffers,
  validationInfo,
} from './build.js';
export { dateToFiletime, FILETIME_NEVER, FILETIME_NONE, type Filetime, filetimeToDate } from './bytes.js';
export { decodeClientInfo, encodeClientInfo, type PacClientInfo } from './client-info.js';
export { PacError } from './errors.js';
export {
  decodeLogonInfo,
  encodeLogonInfo,
  type GroupMembership,
  type KerbValidationInfo,
  LOGON_EXTRA_SIDS,
  LOGON_RESOURCE_GROUPS,
  type RpcUnicodeString,
  SE_GROUP_DEFAULT,
  type SidAndAttributes,
  USER_DONT_EXPIRE_PASSWORD,
  USER_NORMAL_ACCOUNT,
} from './logon-info.js';
export { findBuffer, type Pac, parsePac } from './pac.js';
export {
  decodePacBuffers,
  encodePacBuffers,
  MAX_PAC_BUFFERS,
  type PacBuffer,
  type PacBufferLocation,
  PacBufferType,
} from './pactype.js';
export {
  decodeSid,
  encodeSid,
  formatSid,
  generateDomainSid,
  parseSid,
  type Sid,
  sidEquals,
  sidWithRid,
} from './sid.js';
export {
  type AuthorizationDataElement,
  findPac,
  PAC_KEY_USAGE,
  PAC_PLACEHOLDER_AD,
  type PacKeys,
  type PacVerifyOptions,
  pacAuthorizationData,
  signPac,
  signPacAuthorizationData,
  type TicketSigning,
  ticketChecksumInput,
  verifyPac,
  verifyTicketPac,
} from './sign.js';
export {
  decodeSignatureData,
  encodeSignatureData,
  type PacSignatureData,
  pacChecksumType,
} from './signature.js';
export {
  decodeUpnDnsInfo,
  encodeUpnDnsInfo,
  UPN_DNS_FLAG_CONSTRUCTED,
  UPN_DNS_FLAG_EXTENDED,
  type UpnDnsInfo,
} from './upn-dns-info.js';
