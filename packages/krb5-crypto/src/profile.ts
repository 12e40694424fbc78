/**
 * What an enctype is (its RFC 3961 §3 profile) and the internal interface each enctype
 * module implements.
 */

import type { Key } from './key.js';
import type { CryptoBackend, HashAlgorithm } from './primitives/index.js';

/** Public description of an implemented enctype (RFC 3961 §3 "profile"). */
export interface EnctypeProfile {
  /** Enctype number. */
  readonly id: number;
  /** MIT canonical name, e.g. `aes256-cts-hmac-sha1-96`. */
  readonly name: string;
  /** Every MIT name, canonical first (`aes256-cts-hmac-sha1-96`, `aes256-cts`, ...). */
  readonly names: readonly string[];
  /** Where it is specified. */
  readonly spec: string;
  /** Protocol key length in bytes. */
  readonly keyLength: number;
  /** Key-generation seed length (random-to-key input) in bytes. */
  readonly seedLength: number;
  /** Cipher block size in bytes (16 for AES, 1 for RC4). */
  readonly blockSize: number;
  /** Message block size in bytes: plaintext needs no padding to a multiple of this (1 for CTS and RC4). */
  readonly messageBlockSize: number;
  /** Confounder length in bytes (16 for AES, 8 for RC4). */
  readonly confounderLength: number;
  /** Integrity tag length inside a ciphertext, in bytes. */
  readonly integrityLength: number;
  /** Bytes a ciphertext is longer than its plaintext (confounder + integrity tag). */
  readonly overhead: number;
  /** Mandatory checksum type (RFC 3961 "required checksum mechanism"). */
  readonly checksumType: number;
  /** Length of that checksum in bytes. */
  readonly checksumLength: number;
  /** PRF output length in bytes. */
  readonly prfLength: number;
  /** Default PBKDF2 iteration count (undefined when string-to-key has no iterations). */
  readonly defaultIterations: number | undefined;
  /** Default s2kparams (empty when the enctype takes none). */
  readonly defaultS2kParams: Uint8Array;
  /** Hash used by the HMACs / KDF of this enctype. */
  readonly hash: HashAlgorithm;
  /** True when the enctype must be enabled explicitly (RC4-HMAC). */
  readonly requiresOptIn: boolean;
}

export interface StringToKeyOptions {
  /**
   * Accept PBKDF2 iteration counts below the enctype default (MIT refuses them with
   * KRB5_ERR_BAD_S2K_PARAMS unless testing). Default false. Only for test vectors and
   * interoperability with realms that published weak s2kparams.
   */
  readonly allowWeakIterations?: boolean;
}

/** Internal: what each enctype module provides. */
export interface EnctypeImpl {
  readonly profile: EnctypeProfile;
  stringToKey(
    backend: CryptoBackend,
    password: Uint8Array | string,
    salt: Uint8Array,
    params: Uint8Array | undefined,
    options: StringToKeyOptions,
  ): Promise<Uint8Array>;
  /** Checks the key bytes and returns them as protocol key bytes (identity for AES/RC4). */
  randomToKey(seed: Uint8Array): Uint8Array;
  encrypt(
    backend: CryptoBackend,
    key: Key,
    usage: number,
    plaintext: Uint8Array,
    confounder: Uint8Array,
  ): Uint8Array;
  decrypt(backend: CryptoBackend, key: Key, usage: number, ciphertext: Uint8Array): Uint8Array;
  /** The mandatory checksum (profile.checksumType). */
  checksum(backend: CryptoBackend, key: Key, usage: number, data: Uint8Array): Uint8Array;
  prf(backend: CryptoBackend, key: Key, input: Uint8Array): Uint8Array;
  /** DR / KDF with an arbitrary constant and output length; undefined when the enctype has no key derivation. */
  deriveRandom?(backend: CryptoBackend, key: Key, constant: Uint8Array, length: number): Uint8Array;
}
