/** Shared helpers of the info*.test.ts files: fixtures and whole-message round-trips. */
import { readFileSync } from 'node:fs';
import type { BodyCodec } from '../src/codec.js';
import { HEADER_SIZE, readHeader, type Smb2Header } from '../src/header.js';
import { Reader } from '../src/wire/reader.js';
import { Writer } from '../src/wire/writer.js';

export function fixture(name: string): Uint8Array {
  const hex = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replace(/\s+/g, '');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

/** Decodes a whole message (header + body) with `codec`. */
export function decodeMessage<T>(codec: BodyCodec<T>, bytes: Uint8Array): { header: Smb2Header; body: T } {
  const r = new Reader(bytes);
  const header = readHeader(r);
  return { header, body: codec.decode(r) };
}

/** Encodes a body alone (the writer starts right after the header). */
export function encodeBody<T>(codec: BodyCodec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(value, w);
  return w.finish();
}

/** A message of a 64-byte header (zeros but the protocol id and StructureSize) and `body`. */
export function message(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + body.length);
  out.set([0xfe, 0x53, 0x4d, 0x42, 64, 0], 0);
  out.set(body, HEADER_SIZE);
  return out;
}

/** Decodes a body that sits after a 64-byte header. */
export function decodeBody<T>(codec: BodyCodec<T>, body: Uint8Array): T {
  const r = new Reader(message(body));
  r.pos = HEADER_SIZE;
  return codec.decode(r);
}
