/**
 * SMB 3.1.1 preauth integrity (MS-SMB2 §3.2.5.2, §3.3.5.4, §3.2.5.3.1, §3.3.5.5): a SHA-512
 * chain over the messages exchanged before authentication completes,
 *
 *   H(0) = 64 zero bytes,   H(i) = SHA-512(H(i-1) || message_i)
 *
 * where message_i is the whole SMB2 message (header included, no Direct TCP length prefix;
 * for a compound, the whole compound).
 *
 * Usage:
 * - Connection: start from zeros; update with the NEGOTIATE request, then the NEGOTIATE
 *   response (only when 3.1.1 was negotiated). The result is Connection.PreauthIntegrityHashValue.
 * - Session: `connectionHash.fork()` when the first SESSION_SETUP request of a new session is
 *   sent (or received); update with every SESSION_SETUP request and every SESSION_SETUP
 *   response except the final successful one (STATUS_SUCCESS). The value then is the context
 *   of the 3.1.1 KDF (`deriveSessionKeys({ preauthHash })`). A session binding (new channel)
 *   forks from its own connection's hash the same way.
 */
import { getBackend } from '@postntlm/krb5-crypto/primitives';
import { type MessageParts, partsOf, totalLength } from './bytes.js';
import { SmbCryptoError, wrapCrypto } from './errors.js';
import { nativeCrypto } from './native.js';

export const PREAUTH_HASH_LENGTH = 64;

export class PreauthHash {
  #value: Uint8Array;

  /** Starts from `initial` (64 bytes; copied) or from 64 zero bytes. */
  constructor(initial?: Uint8Array) {
    if (
      initial !== undefined &&
      (!(initial instanceof Uint8Array) || initial.length !== PREAUTH_HASH_LENGTH)
    ) {
      throw new SmbCryptoError('invalid-argument', 'a preauth hash value is 64 bytes');
    }
    this.#value = initial === undefined ? new Uint8Array(PREAUTH_HASH_LENGTH) : initial.slice();
  }

  /** The current value H(i) (a copy). */
  get value(): Uint8Array {
    return this.#value.slice();
  }

  /** Chains one message (whole or as parts): H(i) = SHA-512(H(i-1) || message). Returns the new value (a copy). */
  update(message: MessageParts): Uint8Array {
    const parts = partsOf(message);
    const n = totalLength(parts);
    const native = nativeCrypto();
    this.#value = wrapCrypto('preauth SHA-512', () => {
      if (native !== undefined) {
        const h = native.createHash('sha512').update(this.#value);
        for (const p of parts) h.update(p);
        const d = h.digest();
        return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      }
      const input = new Uint8Array(PREAUTH_HASH_LENGTH + n);
      input.set(this.#value, 0);
      let off = PREAUTH_HASH_LENGTH;
      for (const p of parts) {
        input.set(p, off);
        off += p.length;
      }
      return getBackend().hash('sha512', input);
    });
    return this.value;
  }

  /** An independent copy of this chain (e.g. a session's chain from the connection's). */
  fork(): PreauthHash {
    return new PreauthHash(this.#value);
  }
}
