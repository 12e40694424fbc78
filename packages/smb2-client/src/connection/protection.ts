/**
 * Message protection on the client side: signing or encrypting what goes out (MS-SMB2
 * §3.2.4.1.1, §3.1.4.3) and the rules a response must pass (§3.2.5.1.3): a response to an
 * encrypted request must come encrypted; in a session that signs, it must carry a valid
 * signature, except the intermediate legs of a SESSION_SETUP (STATUS_MORE_PROCESSING_REQUIRED).
 */
import {
  Command,
  encryptMessageParts,
  HeaderFlags,
  NtStatus,
  type Smb2Header,
  signMessage,
  verifySignature,
} from '@postntlm/smb2-protocol';
import { SmbIntegrityError } from '../errors.js';
import type { SessionSecurity } from './connection.js';

/** How a request went out, as its response is checked. */
export interface SentAs {
  readonly command: number;
  readonly signed: boolean;
  readonly encrypted: boolean;
}

/**
 * Signs one message in place (its first part holds the header) or encrypts it; returns the
 * parts to write. `how` says which (neither: the parts as they are).
 */
export function protect(
  parts: Uint8Array[],
  security: SessionSecurity | undefined,
  sessionId: bigint,
  how: { readonly sign: boolean; readonly encrypt: boolean; readonly inPlace?: boolean },
): Uint8Array[] {
  if (security === undefined) return parts;
  if (how.encrypt && security.encryptionKey !== undefined && security.cipher !== undefined)
    return encryptMessageParts({
      cipher: security.cipher,
      key: security.encryptionKey,
      sessionId,
      message: parts,
      inPlace: how.inPlace === true,
    });
  if (how.sign) signMessage(parts, security.signingKey, security.signingAlgorithm);
  return parts;
}

/** Whether a response passes the protection rules; the error to reject with when it does not. */
export function checkResponse(
  sent: SentAs,
  security: SessionSecurity | undefined,
  header: Smb2Header,
  raw: Uint8Array,
  encrypted: boolean,
): Error | undefined {
  if (encrypted) return undefined;
  if (sent.encrypted) return new SmbIntegrityError('the response to an encrypted request came unencrypted');
  if (security === undefined)
    return sent.signed
      ? new SmbIntegrityError('a signed request got a response for another session')
      : undefined;
  if ((header.flags & HeaderFlags.SIGNED) !== 0) {
    if (verifySignature(raw, security.signingKey, security.signingAlgorithm)) return undefined;
    const what = sent.command === Command.SESSION_SETUP ? 'SESSION_SETUP response' : 'response';
    return new SmbIntegrityError(`bad signature on the ${what} (MessageId ${header.messageId})`);
  }
  // A re-authentication's intermediate legs may come unsigned; its final response may not (§3.2.5.3).
  if (sent.command === Command.SESSION_SETUP && header.status === NtStatus.MORE_PROCESSING_REQUIRED)
    return undefined;
  if (sent.signed)
    return new SmbIntegrityError(`unsigned response (MessageId ${header.messageId}) in a signed session`);
  return undefined;
}
