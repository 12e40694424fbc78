/** PAC_ATTRIBUTES_INFO ([MS-PAC] §2.14) and PAC_REQUESTOR ([MS-PAC] §2.15). */
import { LeReader, LeWriter } from './bytes.js';
import { check } from './errors.js';
import { decodeSid, encodeSid, type Sid } from './sid.js';

/** The client asked for a PAC (PA-PAC-REQUEST include-pac TRUE). */
export const PAC_WAS_REQUESTED = 0x1;
/** The client did not send PA-PAC-REQUEST; the PAC was added by default. */
export const PAC_WAS_GIVEN_IMPLICITLY = 0x2;

export interface PacAttributesInfo {
  /** Number of meaningful bits (Windows writes 2). */
  readonly flagsLength: number;
  /** The flag bits; bits beyond the first 32 are not kept. */
  readonly flags: number;
}

export function encodeAttributesInfo(info: PacAttributesInfo): Uint8Array {
  check(
    info.flagsLength >= 0 && info.flagsLength <= 32,
    'PAC_ATTRIBUTES_INFO: FlagsLength must be 0..32 here',
  );
  const w = new LeWriter().u32(info.flagsLength);
  if (info.flagsLength > 0) w.u32(info.flags >>> 0);
  return w.finish();
}

export function decodeAttributesInfo(bytes: Uint8Array): PacAttributesInfo {
  const r = new LeReader(bytes, 0, 'PAC_ATTRIBUTES_INFO');
  const flagsLength = r.u32();
  const words = Math.ceil(flagsLength / 32);
  r.need(words * 4);
  const flags = words > 0 ? r.u32() : 0;
  return { flagsLength, flags };
}

/** PAC_REQUESTOR: the SID of the client the ticket was issued to. */
export function encodeRequestor(sid: Sid): Uint8Array {
  return encodeSid(sid);
}

export function decodeRequestor(bytes: Uint8Array): Sid {
  return decodeSid(bytes);
}
