import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { type BackendName, bytesToHex, hexToBytes, setBackend } from '../../src/primitives/index.js';

/** Reads test/vectors/primitives/<name>.json. */
export function loadVectors<T>(name: string): { source: string; vectors: T[] } {
  return JSON.parse(readFileSync(new URL(`../vectors/primitives/${name}.json`, import.meta.url), 'utf8'));
}

export const hex = bytesToHex;
export const bytes = hexToBytes;

/** Forces `name` for the enclosing describe block and restores "auto" afterwards. */
export function useBackend(name: BackendName): void {
  beforeAll(() => setBackend(name));
  afterAll(() => setBackend('auto'));
}
