/**
 * PAC signatures ([MS-PAC] §2.8) and the ticket's authorization-data around the PAC.
 *
 * All four signatures are keyed checksums with key usage 17 (KERB_NON_KERB_CKSUM_SALT, MIT's
 * KRB5_KEYUSAGE_APP_DATA_CKSUM), each stored as PAC_SIGNATURE_DATA { type, checksum }, with
 * the checksum type chosen by the key's enctype (see `pacChecksumType`). A KDC makes them in
 * this order (MIT `krb5_kdc_sign_ticket` / `sign_pac`, [MS-PAC] §2.8.1–§2.8.5):
 *
 * 1. Ticket signature (PAC_TICKET_CHECKSUM, type 16, KDC/krbtgt key; only for service
 *    tickets, i.e. not for krbtgt/* and kadmin/changepw): a checksum over the DER
 *    EncTicketPart in which the PAC's ad-data is replaced by a single zero byte. That is,
 *    the ticket's authorization-data is encoded with its first element being
 *    AD-IF-RELEVANT { AD-WIN2K-PAC (128) = 0x00 } (`PAC_PLACEHOLDER_AD`) followed by any
 *    other elements, exactly as in the final ticket. It does not depend on the PAC's bytes,
 *    so it is computed first.
 * 2. Full (extended KDC) signature (PAC_FULL_CHECKSUM, type 19, KDC key; service tickets
 *    only): over the whole encoded PAC with the signature bytes of the server, KDC and full
 *    signature buffers zeroed; the ticket signature is already filled in.
 * 3. Server signature (type 6, the ticket's server key): over the whole PAC with the server
 *    and KDC signature bytes zeroed (ticket and full signatures filled in).
 * 4. KDC signature (type 7, KDC key): over the server signature's checksum bytes.
 *
 * "Zeroed" means every byte of the buffer after the 4-byte SignatureType, as MIT does.
 */
import type { Key } from '@postntlm/krb5-crypto';
import {
  getCksumtype,
  isCksumtypeSupported,
  KeyUsage,
  makeChecksum,
  verifyChecksum,
} from '@postntlm/krb5-crypto';
import { AuthDataType, AuthorizationData, decode, EncTicketPart, encode } from '@postntlm/krb5-messages';
import { dateToFiletime } from './bytes.js';
import { check, PacError } from './errors.js';
import { findBuffer, type Pac, parsePac, requireBuffer } from './pac.js';
import { encodePacBuffers, type PacBuffer, type PacBufferLocation, PacBufferType } from './pactype.js';
import { encodeSignatureData, pacChecksumType, zeroSignatureData } from './signature.js';

/** One element of AuthorizationData. */
export type AuthorizationDataElement = AuthorizationData[number];

/** Key usage 17: KERB_NON_KERB_CKSUM_SALT ([MS-PAC] §2.8). */
export const PAC_KEY_USAGE = KeyUsage.APP_DATA_CKSUM;

/** The two keys that sign a PAC. */
export interface PacKeys {
  /** The key the ticket is encrypted in (the service's; the krbtgt key for a TGT). */
  readonly server: Key;
  /** The KDC's (krbtgt) key of the realm. */
  readonly kdc: Key;
}

const SIGNATURE_TYPES: ReadonlySet<number> = new Set([
  PacBufferType.SERVER_CHECKSUM,
  PacBufferType.PRIVSVR_CHECKSUM,
  PacBufferType.TICKET_CHECKSUM,
  PacBufferType.FULL_CHECKSUM,
]);

function checksum(key: Key, data: Uint8Array): Uint8Array {
  return makeChecksum(key, PAC_KEY_USAGE, data, pacChecksumType(key));
}

function writeSignature(bytes: Uint8Array, at: PacBufferLocation | undefined, signature: Uint8Array): void {
  check(at !== undefined && at.size === 4 + signature.length, 'signature buffer layout');
  bytes.set(signature, at.offset + 4);
}

/** Copy of `bytes` with the signature bytes of the given buffers zeroed. */
function zeroed(
  bytes: Uint8Array,
  locations: readonly PacBufferLocation[],
  types: readonly number[],
): Uint8Array {
  const copy = bytes.slice();
  for (const type of types) {
    const l = findBuffer({ locations }, type);
    check(l !== undefined && l.size >= 4, `signature buffer ${type} missing or shorter than 4 bytes`);
    copy.fill(0, l.offset + 4, l.offset + l.size);
  }
  return copy;
}

/**
 * Encodes and signs a PAC. Any signature buffers in `buffers` are dropped and new ones are
 * appended: server (6) and KDC (7), plus ticket (16) and full (19) when
 * `ticketChecksumData` (the DER EncTicketPart with `PAC_PLACEHOLDER_AD` as its first
 * authorization-data element, see the module comment) is given.
 */
export function signPac(
  buffers: readonly PacBuffer[],
  keys: PacKeys,
  ticketChecksumData?: Uint8Array,
): Uint8Array {
  const all: PacBuffer[] = buffers.filter((b) => !SIGNATURE_TYPES.has(b.type));
  all.push({ type: PacBufferType.SERVER_CHECKSUM, data: zeroSignatureData(keys.server) });
  all.push({ type: PacBufferType.PRIVSVR_CHECKSUM, data: zeroSignatureData(keys.kdc) });
  if (ticketChecksumData !== undefined) {
    const ticketSig = encodeSignatureData({
      signatureType: pacChecksumType(keys.kdc),
      signature: checksum(keys.kdc, ticketChecksumData),
    });
    all.push({ type: PacBufferType.TICKET_CHECKSUM, data: ticketSig });
    all.push({ type: PacBufferType.FULL_CHECKSUM, data: zeroSignatureData(keys.kdc) });
  }
  const { bytes, locations } = encodePacBuffers(all);
  const at = (type: number) => findBuffer({ locations }, type);
  if (ticketChecksumData !== undefined) {
    // Server, KDC and full signature bytes are still zero here.
    writeSignature(bytes, at(PacBufferType.FULL_CHECKSUM), checksum(keys.kdc, bytes));
  }
  const server = checksum(keys.server, bytes);
  writeSignature(bytes, at(PacBufferType.SERVER_CHECKSUM), server);
  writeSignature(bytes, at(PacBufferType.PRIVSVR_CHECKSUM), checksum(keys.kdc, server));
  return bytes;
}

// ---- authorization data ----

/** AD-IF-RELEVANT { AD-WIN2K-PAC = `pac` }: the element a ticket carries, first. */
export function pacAuthorizationData(pac: Uint8Array): AuthorizationDataElement {
  return {
    adType: AuthDataType.AD_IF_RELEVANT,
    adData: encode(AuthorizationData, [{ adType: AuthDataType.AD_WIN2K_PAC, adData: pac }]),
  };
}

/** The stand-in for the PAC while the ticket signature is computed: the PAC is one 0x00 byte. */
export const PAC_PLACEHOLDER_AD: AuthorizationDataElement = pacAuthorizationData(Uint8Array.of(0));

/** Where the PAC is: index of the AD-IF-RELEVANT element, its decoded contents and the index inside. */
function locatePac(
  ad: AuthorizationData,
): { outer: number; inner: AuthorizationData; index: number } | undefined {
  for (let outer = 0; outer < ad.length; outer++) {
    const e = ad[outer];
    if (e === undefined || e.adType !== AuthDataType.AD_IF_RELEVANT) continue;
    let inner: AuthorizationData;
    try {
      inner = decode(AuthorizationData, e.adData);
    } catch (err) {
      throw new PacError(`undecodable AD-IF-RELEVANT: ${err instanceof Error ? err.message : String(err)}`);
    }
    const index = inner.findIndex((x) => x.adType === AuthDataType.AD_WIN2K_PAC);
    if (index >= 0) return { outer, inner, index };
  }
  return undefined;
}

/** The PAC bytes in a ticket's authorization-data (the first AD-WIN2K-PAC inside an AD-IF-RELEVANT), if any. */
export function findPac(ad: AuthorizationData | undefined): Uint8Array | undefined {
  if (ad === undefined) return undefined;
  const at = locatePac(ad);
  return at === undefined ? undefined : at.inner[at.index]?.adData;
}

/**
 * The bytes the ticket signature covers, from the DER EncTicketPart that carries the PAC:
 * the same EncTicketPart with the PAC's ad-data replaced by one zero byte, re-encoded
 * (what MIT's krb5_kdc_verify_ticket does).
 */
export function ticketChecksumInput(encTicketPart: Uint8Array): Uint8Array {
  let part: EncTicketPart;
  try {
    part = decode(EncTicketPart, encTicketPart);
  } catch (err) {
    throw new PacError(`undecodable EncTicketPart: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ad = part.authorizationData;
  const at = ad === undefined ? undefined : locatePac(ad);
  check(ad !== undefined && at !== undefined, 'the EncTicketPart has no PAC');
  const inner = at.inner.map((e, i) => (i === at.index ? { adType: e.adType, adData: Uint8Array.of(0) } : e));
  const outer = ad.map((e, i) =>
    i === at.outer ? { adType: e.adType, adData: encode(AuthorizationData, inner) } : e,
  );
  return encode(EncTicketPart, { ...part, authorizationData: outer });
}

/** How `buildPacAuthorizationData` / `signPacAuthorizationData` learn the ticket they sign. */
export interface TicketSigning {
  /**
   * The DER EncTicketPart of the ticket being issued, with `authorizationData` as its
   * authorization-data field (everything else exactly as it will be issued).
   */
  readonly encodeEncTicketPart: (authorizationData: AuthorizationData) => Uint8Array;
  /** Authorization data the ticket carries after the PAC element (default none). */
  readonly otherAuthorizationData?: AuthorizationData | undefined;
}

/**
 * Signs PAC buffers (from `pacBuffers` or a parsed PAC being re-signed) and wraps the PAC
 * for the ticket. Without `ticket` (TGTs, kadmin/changepw) only server and KDC signatures
 * are made; with it also the ticket and full signatures. The ticket must then be issued
 * with authorization-data `[result, ...ticket.otherAuthorizationData]`.
 */
export function signPacAuthorizationData(
  buffers: readonly PacBuffer[],
  keys: PacKeys,
  ticket?: TicketSigning,
): AuthorizationDataElement {
  const ticketData =
    ticket === undefined
      ? undefined
      : ticket.encodeEncTicketPart([PAC_PLACEHOLDER_AD, ...(ticket.otherAuthorizationData ?? [])]);
  return pacAuthorizationData(signPac(buffers, keys, ticketData));
}

// ---- verification ----

export interface PacVerifyOptions {
  /** Checks the server signature with this key. */
  readonly server?: Key | undefined;
  /** Checks the KDC signature, and the full signature when present, with this key. */
  readonly kdc?: Key | undefined;
  /** The DER EncTicketPart that carried the PAC: checks the ticket signature (needs `kdc`). */
  readonly encTicketPart?: Uint8Array | undefined;
  /** Fail when the ticket and full signatures are absent (service tickets from a current KDC). */
  readonly requireTicketSignatures?: boolean | undefined;
  /** Compares PAC_CLIENT_INFO with the ticket's client name (no realm) and authtime. */
  readonly client?: { readonly name: string; readonly authtime: Date } | undefined;
}

function verifyOne(pac: Pac, type: number, what: string, key: Key, data: Uint8Array): void {
  const l = requireBuffer(pac, type, what);
  const raw = pac.bytes.subarray(l.offset, l.offset + l.size);
  check(raw.length >= 4, `${what} shorter than 4 bytes`);
  const cksumtype = new DataView(raw.buffer, raw.byteOffset, 4).getInt32(0, true);
  check(isCksumtypeSupported(cksumtype), `${what}: unsupported checksum type ${cksumtype}`);
  const profile = getCksumtype(cksumtype);
  check(profile.keyed, `${what}: unkeyed checksum type ${cksumtype}`);
  check(raw.length >= 4 + profile.length, `${what} too short for checksum type ${cksumtype}`);
  let ok: boolean;
  try {
    ok = verifyChecksum(key, PAC_KEY_USAGE, data, raw.subarray(4, 4 + profile.length), cksumtype);
  } catch (err) {
    throw new PacError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
  check(ok, `${what} does not verify`);
}

/** Checks what `options` asks for; throws PacError on the first failure. */
export function verifyPac(pac: Pac, options: PacVerifyOptions): void {
  const { server, kdc } = options;
  if (server !== undefined) {
    const data = zeroed(pac.bytes, pac.locations, [
      PacBufferType.SERVER_CHECKSUM,
      PacBufferType.PRIVSVR_CHECKSUM,
    ]);
    verifyOne(pac, PacBufferType.SERVER_CHECKSUM, 'server signature', server, data);
  }
  if (kdc !== undefined) {
    const s = requireBuffer(pac, PacBufferType.SERVER_CHECKSUM, 'server signature');
    const serverSig = pac.serverSignature?.signature ?? pac.bytes.subarray(s.offset + 4, s.offset + s.size);
    verifyOne(pac, PacBufferType.PRIVSVR_CHECKSUM, 'KDC signature', kdc, serverSig);
    const hasFull = findBuffer(pac, PacBufferType.FULL_CHECKSUM) !== undefined;
    const hasTicket = findBuffer(pac, PacBufferType.TICKET_CHECKSUM) !== undefined;
    if (options.requireTicketSignatures === true) {
      check(hasFull && hasTicket, 'the PAC lacks the ticket or full signature');
    }
    if (hasFull) {
      const data = zeroed(pac.bytes, pac.locations, [
        PacBufferType.SERVER_CHECKSUM,
        PacBufferType.PRIVSVR_CHECKSUM,
        PacBufferType.FULL_CHECKSUM,
      ]);
      verifyOne(pac, PacBufferType.FULL_CHECKSUM, 'full signature', kdc, data);
    }
    if (options.encTicketPart !== undefined && (hasTicket || options.requireTicketSignatures === true)) {
      const data = ticketChecksumInput(options.encTicketPart);
      verifyOne(pac, PacBufferType.TICKET_CHECKSUM, 'ticket signature', kdc, data);
    }
  }
  if (options.client !== undefined) {
    const info = pac.clientInfo;
    check(info !== undefined, 'the PAC has no PAC_CLIENT_INFO');
    check(
      info.name === options.client.name,
      `PAC_CLIENT_INFO name ${JSON.stringify(info.name)} is not the client`,
    );
    const want = dateToFiletime(new Date(Math.floor(options.client.authtime.getTime() / 1000) * 1000));
    check(info.clientId === want, 'PAC_CLIENT_INFO ClientId is not the authtime');
  }
}

/** parsePac + verifyPac for the PAC inside a DER EncTicketPart (as a service would see it). */
export function verifyTicketPac(
  encTicketPart: Uint8Array,
  options: Omit<PacVerifyOptions, 'encTicketPart'>,
): Pac {
  let part: EncTicketPart;
  try {
    part = decode(EncTicketPart, encTicketPart);
  } catch (err) {
    throw new PacError(`undecodable EncTicketPart: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bytes = findPac(part.authorizationData);
  check(bytes !== undefined, 'the EncTicketPart has no PAC');
  const pac = parsePac(bytes);
  verifyPac(pac, { ...options, encTicketPart });
  return pac;
}
