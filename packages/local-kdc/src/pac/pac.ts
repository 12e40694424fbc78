/** A parsed PAC: the raw buffers, in order, plus the known ones decoded. */
import { decodeAttributesInfo, decodeRequestor, type PacAttributesInfo } from './attributes.js';
import { decodeClientInfo, type PacClientInfo } from './client-info.js';
import { check, PacError } from './errors.js';
import { decodeLogonInfo, type KerbValidationInfo } from './logon-info.js';
import { decodePacBuffers, type PacBuffer, type PacBufferLocation, PacBufferType } from './pactype.js';
import type { Sid } from './sid.js';
import { decodeSignatureData, type PacSignatureData } from './signature.js';
import { decodeUpnDnsInfo, type UpnDnsInfo } from './upn-dns-info.js';

export interface Pac {
  /** The PAC as received (signatures are checked over these bytes). */
  readonly bytes: Uint8Array;
  readonly buffers: readonly PacBuffer[];
  readonly locations: readonly PacBufferLocation[];
  /** The first buffer of each known type, decoded ([MS-PAC] §2.4: later ones are ignored). */
  readonly logonInfo?: KerbValidationInfo;
  readonly clientInfo?: PacClientInfo;
  readonly upnDnsInfo?: UpnDnsInfo;
  readonly attributesInfo?: PacAttributesInfo;
  readonly requestor?: Sid;
  readonly serverSignature?: PacSignatureData;
  readonly kdcSignature?: PacSignatureData;
  readonly ticketSignature?: PacSignatureData;
  readonly fullSignature?: PacSignatureData;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const DECODERS: ReadonlyMap<number, [keyof Pac, (b: Uint8Array) => unknown]> = new Map<
  number,
  [keyof Pac, (b: Uint8Array) => unknown]
>([
  [PacBufferType.LOGON_INFO, ['logonInfo', decodeLogonInfo]],
  [PacBufferType.CLIENT_INFO, ['clientInfo', decodeClientInfo]],
  [PacBufferType.UPN_DNS_INFO, ['upnDnsInfo', decodeUpnDnsInfo]],
  [PacBufferType.ATTRIBUTES_INFO, ['attributesInfo', decodeAttributesInfo]],
  [PacBufferType.REQUESTOR, ['requestor', decodeRequestor]],
  [PacBufferType.SERVER_CHECKSUM, ['serverSignature', decodeSignatureData]],
  [PacBufferType.PRIVSVR_CHECKSUM, ['kdcSignature', decodeSignatureData]],
  [PacBufferType.TICKET_CHECKSUM, ['ticketSignature', decodeSignatureData]],
  [PacBufferType.FULL_CHECKSUM, ['fullSignature', decodeSignatureData]],
]);

/**
 * Parses a PAC (the ad-data of AD-WIN2K-PAC). Throws only PacError: on a malformed
 * header, on buffers outside the PAC, or on a malformed known buffer.
 */
export function parsePac(bytes: Uint8Array): Pac {
  if (!(bytes instanceof Uint8Array)) throw new PacError('parsePac: bytes must be a Uint8Array');
  const copy = bytes.slice();
  const { buffers, locations } = decodePacBuffers(copy);
  const pac: Mutable<Pac> = { bytes: copy, buffers, locations };
  const record = pac as unknown as Record<string, unknown>;
  for (const b of buffers) {
    const d = DECODERS.get(b.type);
    if (d === undefined || record[d[0]] !== undefined) continue;
    try {
      record[d[0]] = d[1](b.data);
    } catch (e) {
      if (e instanceof PacError) throw new PacError(`PAC buffer type ${b.type}: ${e.message}`);
      throw e;
    }
  }
  return pac;
}

/** The location of the first buffer of `type`, or undefined. */
export function findBuffer(pac: Pick<Pac, 'locations'>, type: number): PacBufferLocation | undefined {
  return pac.locations.find((l) => l.type === type);
}

/** Like findBuffer, but a PacError when absent. */
export function requireBuffer(pac: Pick<Pac, 'locations'>, type: number, what: string): PacBufferLocation {
  const l = findBuffer(pac, type);
  check(l !== undefined, `the PAC has no ${what} buffer`);
  return l;
}
