/**
 * The primitives layer: the block ciphers, hashes and KDFs that Kerberos (RFC 3961) and
 * SMB 3 are built from. Two implementations exist: `node` (node:crypto, fast, default on
 * Node) and `noble` (@noble/ciphers + @noble/hashes, portable: browsers, Deno, edge
 * runtimes). Both must give identical bytes for every input.
 *
 * Conventions for every method:
 * - inputs and outputs are `Uint8Array`; inputs are never modified;
 * - AES keys are 16 or 32 bytes (AES-128 / AES-256); other lengths throw InvalidInputError;
 * - ECB/CBC never pad: the data length must be a multiple of 16 (InvalidInputError);
 * - AEAD "open" methods throw IntegrityError when the tag does not verify, and return
 *   nothing partial.
 */
/**
 * Hashes Kerberos and SMB need: SHA-1 (RFC 3962), SHA-256/384 (RFC 8009), MD5 (RC4-HMAC,
 * RFC 4757), SHA-512 (SMB 3.1.1 preauth integrity). Anything else: UnsupportedAlgorithmError.
 */
export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** The built-in backends: node:crypto (OpenSSL) and @noble (pure JS). */
export type BackendName = 'node' | 'noble';

/**
 * One implementation of every primitive. Get the active one with `getBackend()`; both
 * built-in backends satisfy the conventions above byte for byte.
 */
export interface CryptoBackend {
  /** Which implementation this is (a custom backend reports the name it imitates). */
  readonly name: BackendName;

  /** One-shot digest. */
  hash(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array;
  /** HMAC (RFC 2104) with the given hash. */
  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array;
  /**
   * PBKDF2 (RFC 8018) with HMAC-<algorithm>; asynchronous so it never blocks an event loop.
   * `iterations` and `length` are integers in 1..2^31-1; bad arguments reject (never throw).
   */
  pbkdf2(
    algorithm: HashAlgorithm,
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): Promise<Uint8Array>;

  /** AES-ECB over whole blocks, no padding. */
  aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** Inverse of aesEcbEncrypt. */
  aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** AES-CBC over whole blocks, no padding; `iv` is 16 bytes. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** Inverse of aesCbcEncrypt. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /**
   * AES-CTR keystream XOR; `counter` is the 16-byte initial counter block, incremented as one
   * 128-bit big-endian integer that wraps at 2^128 (NIST SP 800-38A). Any data length.
   */
  aesCtr(key: Uint8Array, counter: Uint8Array, data: Uint8Array): Uint8Array;

  /** AES-GCM (NIST SP 800-38D), 12-byte nonce, 16-byte tag. */
  aesGcmSeal(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): { ciphertext: Uint8Array; tag: Uint8Array };
  /** Verifies and decrypts; IntegrityError on a bad tag. `tag` must be 16 bytes. */
  aesGcmOpen(
    key: Uint8Array,
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array,
  ): Uint8Array;
  /**
   * AES-CCM (NIST SP 800-38C), nonce 7..13 bytes, 16-byte tag (as SMB 3 uses it). The payload
   * must be shorter than 2^(8*(15 - nonce length)) bytes (64 KiB for a 13-byte nonce).
   */
  aesCcmSeal(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): { ciphertext: Uint8Array; tag: Uint8Array };
  /** Verifies and decrypts; IntegrityError on a bad tag. `tag` must be 16 bytes. */
  aesCcmOpen(
    key: Uint8Array,
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array,
  ): Uint8Array;
  /** AES-CMAC (RFC 4493 / NIST SP 800-38B), 16-byte MAC. */
  aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array;

  /** Cryptographically secure random bytes; `length` is an integer in 0..2^31-1. */
  randomBytes(length: number): Uint8Array;
}
