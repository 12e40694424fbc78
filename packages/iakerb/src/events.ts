/** Trace events: each step of an IAKerb context, for logs and for the step tables apps print. */
import { decode } from '@postntlm/der-asn1';
import { KrbError } from '@postntlm/krb5-messages';

export type IakerbMessageType =
  | 'realm-discovery'
  | 'as-req'
  | 'as-rep'
  | 'tgs-req'
  | 'tgs-rep'
  | 'krb-error'
  | 'ap-req'
  | 'ap-rep'
  | 'other';

export interface IakerbEvent {
  /** `out`: this side sent it; `in`: this side received it; `kdc-out`/`kdc-in`: the acceptor's KDC leg. */
  readonly direction: 'out' | 'in' | 'kdc-out' | 'kdc-in';
  readonly type: IakerbMessageType;
  /** The realm of the proxy header (or of the KDC leg). */
  readonly realm?: string;
  /** KRB-ERROR code, when `type` is `krb-error`. */
  readonly errorCode?: number;
  /** Size on the wire, bytes (the whole token for context tokens). */
  readonly bytes: number;
  /** Milliseconds since the context started. */
  readonly atMs: number;
}

export type IakerbEventListener = (event: IakerbEvent) => void;

/** The message type of a DER Kerberos message from its APPLICATION tag (no decoding). */
export function kerberosMessageType(message: Uint8Array): IakerbMessageType {
  if (message.length === 0) return 'realm-discovery';
  switch (message[0]) {
    case 0x6a:
      return 'as-req';
    case 0x6b:
      return 'as-rep';
    case 0x6c:
      return 'tgs-req';
    case 0x6d:
      return 'tgs-rep';
    case 0x7e:
      return 'krb-error';
    case 0x6e:
      return 'ap-req';
    case 0x6f:
      return 'ap-rep';
    default:
      return 'other';
  }
}

/** The error-code field of a KRB-ERROR, or undefined when it does not decode. */
export function krbErrorCodeOf(message: Uint8Array): number | undefined {
  try {
    return decode(KrbError, message).errorCode;
  } catch {
    return undefined;
  }
}
