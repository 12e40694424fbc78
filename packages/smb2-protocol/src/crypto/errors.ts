/** The typed failure of the SMB2 crypto layer. */

/**
 * What went wrong:
 * - `integrity`: a signature or AEAD tag did not verify (altered data or wrong key);
 * - `invalid-argument`: a key, nonce, message or option is malformed (wrong length, unknown id);
 * - `unsupported`: a combination the dialect does not define (e.g. encryption on 2.1);
 * - `backend`: the crypto backend itself failed (e.g. an algorithm disabled by FIPS policy).
 */
export type SmbCryptoErrorKind = 'integrity' | 'invalid-argument' | 'unsupported' | 'backend';

export class SmbCryptoError extends Error {
  override readonly name = 'SmbCryptoError';
  constructor(
    readonly kind: SmbCryptoErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Runs `fn`, turning any failure that is not already an SmbCryptoError into one (integrity for krb5-crypto's IntegrityError). */
export function wrapCrypto<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SmbCryptoError) throw err;
    const name = (err as { name?: unknown } | null)?.name;
    const kind: SmbCryptoErrorKind =
      name === 'IntegrityError'
        ? 'integrity'
        : name === 'InvalidInputError'
          ? 'invalid-argument'
          : name === 'UnsupportedAlgorithmError'
            ? 'unsupported'
            : 'backend';
    throw new SmbCryptoError(kind, `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}
