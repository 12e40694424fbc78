/**
 * Errors raised by krb5-crypto. Every failure is one of these classes, never a bare
 * TypeError from deep inside a cipher, so callers can tell bad input from a failed
 * integrity check from a policy refusal.
 */
export class Krb5CryptoError extends Error {
  override name = 'Krb5CryptoError';
}

/** A MAC, checksum or AEAD tag did not verify: the data was altered or the key is wrong. */
export class IntegrityError extends Krb5CryptoError {
  override name = 'IntegrityError';
}

/** An argument is malformed: wrong key length, ciphertext too short, bad s2kparams... */
export class InvalidInputError extends Krb5CryptoError {
  override name = 'InvalidInputError';
}

/** The enctype or checksum type is unknown, or disabled by policy (RC4-HMAC without opt-in). */
export class UnsupportedAlgorithmError extends Krb5CryptoError {
  override name = 'UnsupportedAlgorithmError';
}

/**
 * String-to-key parameters (s2kparams) are malformed or refused: wrong length, or an
 * iteration count MIT krb5 would also reject (KRB5_ERR_BAD_S2K_PARAMS).
 */
export class BadS2kParamsError extends InvalidInputError {
  override name = 'BadS2kParamsError';
  readonly code = 'KRB5_ERR_BAD_S2K_PARAMS';
}
