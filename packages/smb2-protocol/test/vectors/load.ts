/** Loads the JSON vectors of this directory (see SOURCE.md) and small hex helpers for the crypto tests. */
import { readFileSync } from 'node:fs';

// biome-ignore lint/suspicious/noExplicitAny: vector files are free-form JSON, read field by field
export type Json = any;

export function vector(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
}

export function hex(s: string): Uint8Array {
  if (s.length % 2 !== 0) throw new Error(`odd hex: ${s}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Splits `bytes` at the given offsets into views (for the "message as parts" paths). */
export function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const o of [...offsets, bytes.length]) {
    out.push(bytes.subarray(prev, o));
    prev = o;
  }
  return out;
}

export const BACKENDS = ['node', 'noble'] as const;
