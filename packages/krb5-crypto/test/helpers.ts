import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { availableBackends, type BackendName, setBackend } from '../src/index.js';
import { bytesToHex, hexToBytes } from '../src/primitives/index.js';

export const hex = (s: string): Uint8Array => hexToBytes(s);
export const toHex = (b: Uint8Array): string => bytesToHex(b);
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Reads a vector file copied into test/vectors (never /work/shared: clones do not have it). */
export function loadVectors<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${file}`, import.meta.url), 'utf8')) as T;
}

export const BACKENDS: BackendName[] = availableBackends();

/** Inside a describe: forces `name` for the block and restores "auto" afterwards. */
export function useBackend(name: BackendName): void {
  beforeAll(() => setBackend(name));
  afterAll(() => setBackend('auto'));
}

/** Enctypes and checksum types the vector files contain but this package does not implement. */
export const UNIMPLEMENTED_ENCTYPES = new Set([16, 24, 25, 26]);
export const UNIMPLEMENTED_CKSUMTYPES = new Set([1, 2, 3, 4, 8, 12, 17, 18]);
