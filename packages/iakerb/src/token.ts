/**
 * IAKERB_PROXY tokens (draft §3): `[60 len 06 06 2B0601050205] 05 01 IAKERB-HEADER message`,
 * where the RFC 2743 framing is on every token (draft, Windows) or only on the initiator's
 * first one (MIT ≤ 1.21), and the Kerberos message runs to the end of the token with no
 * length of its own (empty in realm discovery).
 */
import { DecodeError, decodePrefix, encode } from '@postntlm/der-asn1';
import { decodeGssToken, encodeGssToken, GssTokenError } from '@postntlm/gssapi-spnego';
import { IakerbHeader } from '@postntlm/krb5-messages';
import { DEFAULT_MAX_TOKEN_BYTES, IAKERB_OID, TOKEN_ID_PROXY } from './constants.js';
import { IakerbError } from './errors.js';

export interface ProxyToken {
  readonly header: IakerbHeader;
  /** The Kerberos message (KDC-REQ, KDC-REP or KRB-ERROR); empty in realm discovery. */
  readonly message: Uint8Array;
  /** Whether the token carried the RFC 2743 framing. */
  readonly framed: boolean;
}

/** Builds a proxy token; `framed` adds the RFC 2743 framing with the IAKerb OID. */
export function encodeProxyToken(header: IakerbHeader, message: Uint8Array, framed: boolean): Uint8Array {
  const headerDer = encode(IakerbHeader, header);
  const inner = new Uint8Array(2 + headerDer.length + message.length);
  inner[0] = TOKEN_ID_PROXY >>> 8;
  inner[1] = TOKEN_ID_PROXY & 0xff;
  inner.set(headerDer, 2);
  inner.set(message, 2 + headerDer.length);
  return framed ? encodeGssToken(IAKERB_OID, inner) : inner;
}

/** What a context token is, from its first bytes (without decoding the body). */
export type TokenKind = 'proxy' | 'ap-req' | 'ap-rep' | 'krb-error' | 'other';

function tokenIdKind(id: number): TokenKind {
  switch (id) {
    case TOKEN_ID_PROXY:
      return 'proxy';
    case 0x0100:
      return 'ap-req';
    case 0x0200:
      return 'ap-rep';
    case 0x0300:
      return 'krb-error';
    default:
      return 'other';
  }
}

/** The token's kind and, when framed, its mechanism. Never throws: malformed framing is `other`. */
export function peekToken(bytes: Uint8Array): { kind: TokenKind; mech: string | undefined } {
  if (bytes.length >= 2 && bytes[0] === 0x05 && bytes[1] === 0x01) return { kind: 'proxy', mech: undefined };
  try {
    const { mech, inner } = decodeGssToken(bytes);
    if (inner.length < 2) return { kind: 'other', mech };
    return { kind: tokenIdKind(((inner[0] as number) << 8) | (inner[1] as number)), mech };
  } catch {
    return { kind: 'other', mech: undefined };
  }
}

/**
 * Decodes a proxy token, framed (with the IAKerb OID) or bare. `IakerbError('malformed-token')`
 * for anything else, for a token over `maxBytes`, and for a header that is not DER.
 */
export function decodeProxyToken(bytes: Uint8Array, maxBytes: number = DEFAULT_MAX_TOKEN_BYTES): ProxyToken {
  if (!(bytes instanceof Uint8Array))
    throw new IakerbError('malformed-token', 'an IAKerb token must be a Uint8Array');
  if (bytes.length > maxBytes) {
    throw new IakerbError(
      'malformed-token',
      `IAKerb token of ${bytes.length} bytes exceeds the limit of ${maxBytes}`,
    );
  }
  let inner: Uint8Array;
  let framed: boolean;
  if (bytes.length >= 2 && bytes[0] === 0x05 && bytes[1] === 0x01) {
    inner = bytes;
    framed = false;
  } else {
    try {
      const token = decodeGssToken(bytes);
      if (token.mech !== IAKERB_OID) {
        throw new IakerbError(
          'malformed-token',
          `GSS token of mechanism ${token.mech}, not IAKerb (${IAKERB_OID})`,
        );
      }
      inner = token.inner;
    } catch (e) {
      if (e instanceof GssTokenError) throw new IakerbError('malformed-token', e.message, { cause: e });
      throw e;
    }
    framed = true;
    if (inner.length < 2 || inner[0] !== 0x05 || inner[1] !== 0x01) {
      throw new IakerbError('malformed-token', 'IAKerb token: expected token ID 05 01 (IAKERB_PROXY)');
    }
  }
  const body = inner.subarray(2);
  if (body.length === 0 || body[0] !== 0x30) {
    throw new IakerbError('malformed-token', 'IAKerb token: the IAKERB-HEADER (a SEQUENCE) is missing');
  }
  try {
    const { value, length } = decodePrefix(IakerbHeader, body);
    return { header: value, message: body.subarray(length), framed };
  } catch (e) {
    if (e instanceof DecodeError) {
      throw new IakerbError('malformed-token', `IAKerb token: bad IAKERB-HEADER: ${e.message}`, { cause: e });
    }
    throw e;
  }
}
