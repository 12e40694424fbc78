/** Shared helpers of the file-command tests: body encode/decode behind a header, fixtures. */
import { readFileSync } from 'node:fs';
import type { BodyCodec } from '../src/codec.js';
import { HEADER_SIZE } from '../src/header.js';
import { Reader } from '../src/wire/reader.js';
import { Writer } from '../src/wire/writer.js';

/** A message: 64 zero bytes standing for the header, then the body. */
export function encodeMessage<T>(codec: BodyCodec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(value, w);
  const body = w.finish();
  const out = new Uint8Array(HEADER_SIZE + body.length);
  out.set(body, HEADER_SIZE);
  return out;
}

export function decodeMessage<T>(codec: BodyCodec<T>, message: Uint8Array): T {
  const r = new Reader(message, 0, message.length, codec.name);
  r.pos = HEADER_SIZE;
  return codec.decode(r);
}

export function fixture(name: string): Uint8Array {
  const hex = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replace(/\s+/g, '');
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

export const hex = (s: string): Uint8Array =>
  Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
