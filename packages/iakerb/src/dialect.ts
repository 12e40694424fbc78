/**
 * The three IAKerb dialects in use (see the package README): what each frames, how it
 * encodes the realm, and where its FINISHED checksum goes.
 */
import { Oid } from '@postntlm/der-asn1';
import { GssChecksumExtensionType } from '@postntlm/gssapi-spnego';
import { KeyUsage } from '@postntlm/krb5-crypto';
import { IAKERB_OID } from './constants.js';

/**
 * `draft`: draft-ietf-kitten-iakerb-03 as MIT ≥ 1.22 speaks it (the default).
 * `windows`: Windows 11 / Server 2025 (build 29617): acceptor realm ".", header-flags,
 * AP-REQ/AP-REP under the krb5 OID, no realm discovery, FINISHED not required.
 * `mit-legacy`: MIT ≤ 1.21: only the initiator's first token framed, realm as OCTET
 * STRING, FINISHED as extension 1 with key usage 42.
 */
export type IakerbDialect = 'draft' | 'windows' | 'mit-legacy';

export interface DialectProfile {
  readonly name: IakerbDialect;
  /** Every token carries the RFC 2743 framing (else only the initiator's first one). */
  readonly frameEveryToken: boolean;
  readonly realmEncoding: 'utf8' | 'octet-string';
  /** 0x8003 extension type of FINISHED. */
  readonly finishedExtension: number;
  /** Key usage of the FINISHED checksum. */
  readonly finishedUsage: number;
  /** Mechanism OID framing the AP-REQ and AP-REP. */
  readonly apMech: string;
  /** Realm discovery (empty realm and message) is part of the dialect. */
  readonly discovery: boolean;
}

/** Windows' acceptor header-flags (32 bits; DS_IS_FLAT_NAME as observed on build 29617). */
export const WINDOWS_HEADER_FLAGS = { bytes: Uint8Array.of(0x01, 0x00, 0x00, 0x00), unusedBits: 0 } as const;

export const DIALECTS: Readonly<Record<IakerbDialect, DialectProfile>> = {
  draft: {
    name: 'draft',
    frameEveryToken: true,
    realmEncoding: 'utf8',
    finishedExtension: GssChecksumExtensionType.iakerbFinished,
    finishedUsage: KeyUsage.IAKERB_FINISHED,
    apMech: IAKERB_OID,
    discovery: true,
  },
  windows: {
    name: 'windows',
    frameEveryToken: true,
    realmEncoding: 'utf8',
    finishedExtension: GssChecksumExtensionType.iakerbFinished,
    finishedUsage: KeyUsage.IAKERB_FINISHED,
    apMech: Oid.krb5,
    discovery: false,
  },
  'mit-legacy': {
    name: 'mit-legacy',
    frameEveryToken: false,
    realmEncoding: 'octet-string',
    finishedExtension: GssChecksumExtensionType.iakerbFinishedLegacy,
    finishedUsage: KeyUsage.IAKERB_FINISHED_MIT_LEGACY,
    apMech: IAKERB_OID,
    discovery: false,
  },
};
