/** PAC_CLIENT_INFO ([MS-PAC] §2.7): ClientId (FILETIME, the ticket's authtime) and the client name. */
import { type Filetime, fromUtf16le, LeReader, LeWriter, utf16le } from './bytes.js';
import { check } from './errors.js';

export interface PacClientInfo {
  /** The authtime of the ticket, as a FILETIME (whole seconds). */
  readonly clientId: Filetime;
  /** The client's name without realm (MIT compares it with the unparsed cname, no realm). */
  readonly name: string;
}

export function encodeClientInfo(info: PacClientInfo): Uint8Array {
  const name = utf16le(info.name);
  check(name.length <= 0xffff, 'PAC_CLIENT_INFO name too long');
  return new LeWriter().u64(info.clientId).u16(name.length).bytes(name).finish();
}

export function decodeClientInfo(bytes: Uint8Array): PacClientInfo {
  const r = new LeReader(bytes, 0, 'PAC_CLIENT_INFO');
  const clientId = r.u64();
  const length = r.u16();
  check(length % 2 === 0, 'PAC_CLIENT_INFO NameLength is odd');
  const name = fromUtf16le(r.take(length));
  return { clientId, name };
}
