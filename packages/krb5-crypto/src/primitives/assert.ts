/**
 * Boundary checks shared by both backends. Everything a caller passes in is checked here
 * first, so node:crypto and noble never see an argument they would reject with a bare
 * TypeError/RangeError: the caller always gets an InvalidInputError instead.
 */
import { InvalidInputError, UnsupportedAlgorithmError } from '../errors.js';
import type { HashAlgorithm } from './backend.js';

/**
 * True for Uint8Array (and subclasses such as Buffer), also one from another realm
 * (iframe, vm context) where `instanceof` fails. Same test as noble-hashes' `isBytes`.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor !== undefined && value.constructor.name === 'Uint8Array')
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength})`;
  return typeof value;
}

/** Asserts a Uint8Array, optionally of one of the given lengths. */
export function checkBytes(name: string, value: unknown, ...lengths: number[]): asserts value is Uint8Array {
  if (!isBytes(value)) throw new InvalidInputError(`${name} must be a Uint8Array, got ${describe(value)}`);
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    throw new InvalidInputError(`${name} must be ${lengths.join(' or ')} bytes, got ${value.length}`);
  }
}

/** AES-128 or AES-256 only: Kerberos (RFC 3962, RFC 8009) and SMB 3 use no other size. */
export function checkAesKey(key: unknown): asserts key is Uint8Array {
  checkBytes('AES key', key, 16, 32);
}

/** ECB/CBC never pad in this layer (RFC 3962 does its own ciphertext stealing). */
export function checkBlocks(name: string, data: unknown): asserts data is Uint8Array {
  checkBytes(name, data);
  if (data.length % 16 !== 0) {
    throw new InvalidInputError(`${name} length must be a multiple of 16, got ${data.length}`);
  }
}

/** Integer in [min, max]; rejects NaN, fractions, non-numbers. */
export function checkInteger(
  name: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

const HASHES: ReadonlySet<string> = new Set<HashAlgorithm>(['md5', 'sha1', 'sha256', 'sha384', 'sha512']);

/** Asserts one of the HashAlgorithm names; anything else is UnsupportedAlgorithmError. */
export function checkHash(algorithm: unknown): asserts algorithm is HashAlgorithm {
  if (typeof algorithm !== 'string' || !HASHES.has(algorithm)) {
    throw new UnsupportedAlgorithmError(`unsupported hash algorithm: ${String(algorithm)}`);
  }
}

/** Largest count node:crypto accepts for PBKDF2 iterations/lengths and random fills (INT32_MAX). */
export const MAX_INT32 = 0x7fffffff;
