/**
 * The authentication flow as the client sees it, for tools that show it (`postntlm-smb
 * --trace`): one event per NEGOTIATE and SESSION_SETUP message, with the security token
 * inside classified — the SPNEGO wrapper, the mechanism, and for IAKerb the proxied
 * Kerberos message (AS-REQ, KRB-ERROR with its code, AS-REP, TGS-REQ, TGS-REP) or the
 * final AP-REQ / AP-REP. Classification never throws: what does not decode is named as such.
 */
import { decodeGssToken, decodeSpnegoToken, mechanismName, type SpnegoToken } from '@postntlm/gssapi-spnego';
import { decodeProxyToken, peekToken } from '@postntlm/iakerb';
import { decodeMessage, errorCodeName, peekMessageType } from '@postntlm/krb5-messages';
import { ntStatusName } from '@postntlm/smb2-protocol';

/** What one authentication message carried, innermost first in `kerberos`. */
export interface SmbAuthTokenInfo {
  /** `NegTokenInit2`, `NegTokenInit`, `NegTokenResp`, or `raw` (no SPNEGO). */
  readonly spnego: 'NegTokenInit2' | 'NegTokenInit' | 'NegTokenResp' | 'raw' | 'none';
  /** Mechanisms offered (NegTokenInit2/NegTokenInit) or chosen (NegTokenResp), by name. */
  readonly mechs: readonly string[];
  /** SPNEGO negState of a NegTokenResp. */
  readonly negState?: 'accept-completed' | 'accept-incomplete' | 'reject' | 'request-mic';
  /** The mechanism token's kind: an IAKerb proxy message, or the context tokens. */
  readonly kind?: 'iakerb-proxy' | 'ap-req' | 'ap-rep' | 'krb-error' | 'other';
  /**
   * The mechanism named by the mechanism token's own GSS framing (`IAKERB` for an IAKerb
   * AP-REQ/AP-REP of the draft dialect, `KRB5` for plain Kerberos); absent when unframed.
   * Later SPNEGO legs carry no mechanism list, so this is what says whose token it is.
   */
  readonly gssMech?: string;
  /** For an IAKerb proxy token: the realm in its header (empty in realm discovery). */
  readonly targetRealm?: string;
  /**
   * The Kerberos message: `AS-REQ`, `AS-REQ (PA-ENC-TIMESTAMP)`, `AS-REP`, `TGS-REQ`,
   * `TGS-REP`, `KRB-ERROR (KDC_ERR_PREAUTH_REQUIRED)`, `realm discovery`, `AP-REQ`, `AP-REP`.
   */
  readonly kerberos?: string;
}

/** One message of the authentication flow. */
export interface SmbAuthTraceEvent {
  readonly direction: 'send' | 'receive';
  readonly command: 'NEGOTIATE' | 'SESSION_SETUP';
  /** The SMB2 message's size in bytes (header included, transport framing not). */
  readonly bytes: number;
  /** The NTSTATUS name of a response (`STATUS_MORE_PROCESSING_REQUIRED`). */
  readonly status?: string;
  /** The security buffer's contents; absent when the message carries none. */
  readonly token?: SmbAuthTokenInfo;
  /** `performance.now()` when the message was sent or received. */
  readonly timeMs: number;
}

export type SmbAuthTraceListener = (event: SmbAuthTraceEvent) => void;

const mechName = (oid: string): string => mechanismName(oid) ?? oid;
const NEG_STATES = ['accept-completed', 'accept-incomplete', 'reject', 'request-mic'] as const;

/** The Kerberos message inside an IAKerb proxy token (or a bare one). */
function kerberosMessage(bytes: Uint8Array): string {
  const type = peekMessageType(bytes);
  switch (type) {
    case 10: {
      try {
        const m = decodeMessage(bytes);
        const padata = m.msgType === 10 ? (m.value.padata ?? []) : [];
        return padata.some((p) => p.padataType === 2) ? 'AS-REQ (PA-ENC-TIMESTAMP)' : 'AS-REQ';
      } catch {
        return 'AS-REQ';
      }
    }
    case 11:
      return 'AS-REP';
    case 12:
      return 'TGS-REQ';
    case 13:
      return 'TGS-REP';
    case 30: {
      try {
        const m = decodeMessage(bytes);
        const code = m.msgType === 30 ? m.value.errorCode : undefined;
        return code === undefined ? 'KRB-ERROR' : `KRB-ERROR (${errorCodeName(code) ?? code})`;
      } catch {
        return 'KRB-ERROR';
      }
    }
    default:
      return type === undefined ? 'not Kerberos' : `Kerberos message ${type}`;
  }
}

/** The mechanism token: IAKerb proxy (with its Kerberos message), AP-REQ, AP-REP or KRB-ERROR. */
function mechToken(
  bytes: Uint8Array,
): Pick<SmbAuthTokenInfo, 'kind' | 'gssMech' | 'targetRealm' | 'kerberos'> {
  const peek = peekToken(bytes);
  const framing = peek.mech === undefined ? {} : { gssMech: mechName(peek.mech) };
  if (peek.kind === 'proxy') {
    try {
      const proxy = decodeProxyToken(bytes);
      return {
        kind: 'iakerb-proxy',
        ...framing,
        targetRealm: proxy.header.targetRealm,
        kerberos: proxy.message.length === 0 ? 'realm discovery' : kerberosMessage(proxy.message),
      };
    } catch {
      return { kind: 'iakerb-proxy', ...framing, kerberos: 'malformed' };
    }
  }
  if (peek.kind === 'ap-req') return { kind: 'ap-req', ...framing, kerberos: 'AP-REQ' };
  if (peek.kind === 'ap-rep') return { kind: 'ap-rep', ...framing, kerberos: 'AP-REP' };
  if (peek.kind === 'krb-error') {
    try {
      const inner = decodeGssToken(bytes).inner.subarray(2);
      return { kind: 'krb-error', ...framing, kerberos: kerberosMessage(inner) };
    } catch {
      return { kind: 'krb-error', ...framing, kerberos: 'KRB-ERROR' };
    }
  }
  return { kind: 'other', ...framing };
}

/** Classifies a SESSION_SETUP or NEGOTIATE security buffer. */
export function describeAuthToken(bytes: Uint8Array): SmbAuthTokenInfo | undefined {
  if (bytes.length === 0) return undefined;
  let spnego: SpnegoToken;
  try {
    spnego = decodeSpnegoToken(bytes);
  } catch {
    return { spnego: 'raw', mechs: [], ...mechToken(bytes) };
  }
  if (spnego.kind === 'init') {
    const init2 = spnego.negHints !== undefined || spnego.mechToken === undefined;
    return {
      spnego: init2 ? 'NegTokenInit2' : 'NegTokenInit',
      mechs: spnego.mechTypes.map(mechName),
      ...(spnego.mechToken === undefined ? {} : mechToken(spnego.mechToken)),
    };
  }
  return {
    spnego: 'NegTokenResp',
    mechs: spnego.supportedMech === undefined ? [] : [mechName(spnego.supportedMech)],
    ...(spnego.negState === undefined ? {} : { negState: NEG_STATES[spnego.negState] }),
    ...(spnego.responseToken === undefined ? {} : mechToken(spnego.responseToken)),
  };
}

/** Builds one event; listener failures never reach the protocol code. */
export function emitAuthTrace(
  listener: SmbAuthTraceListener | undefined,
  event: Omit<SmbAuthTraceEvent, 'timeMs' | 'token' | 'status'> & {
    token?: Uint8Array | undefined;
    status?: number | undefined;
  },
): void {
  if (listener === undefined) return;
  try {
    const token = event.token === undefined ? undefined : describeAuthToken(event.token);
    listener({
      direction: event.direction,
      command: event.command,
      bytes: event.bytes,
      ...(event.status === undefined ? {} : { status: ntStatusName(event.status) }),
      ...(token === undefined ? {} : { token }),
      timeMs: performance.now(),
    });
  } catch {
    // an observer must not break authentication
  }
}
