import { DecodeError, EncodeError, show } from '../errors.js';
import { TaggedSchema } from '../schema.js';
import { TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

/** A BIT STRING's bits: `bytes` holds them MSB first, the last `unusedBits` bits are padding. */
export interface BitStringValue {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
}

/** Checks the DER rules of X.690 §8.6.2 and §11.2.1 and returns the unused-bit count. */
function readUnused(input: Uint8Array, start: number, end: number): number {
  if (end === start) throw new DecodeError('BIT STRING has no content octets', start);
  const unused = input[start]!;
  if (unused > 7) throw new DecodeError(`BIT STRING unused-bit count ${unused} is above 7`, start);
  if (end - start === 1 && unused !== 0) {
    throw new DecodeError('empty BIT STRING must have an unused-bit count of 0', start);
  }
  if (unused > 0 && (input[end - 1]! & ((1 << unused) - 1)) !== 0) {
    throw new DecodeError('BIT STRING padding bits must be zero in DER', end - 1);
  }
  return unused;
}

/** BIT STRING (X.690 §8.6), primitive form, as raw bits. */
export class BitStringSchema extends TaggedSchema<BitStringValue> {
  readonly typeName = 'BIT STRING';
  constructor() {
    super(TagClass.universal, UniversalTag.bitString, false);
  }
  decodeContent(input: Uint8Array, start: number, end: number): BitStringValue {
    const unusedBits = readUnused(input, start, end);
    return { bytes: input.subarray(start + 1, end), unusedBits };
  }
  encodeContent(writer: ReverseWriter, value: BitStringValue): void {
    const { bytes, unusedBits } = value ?? {};
    if (!(bytes instanceof Uint8Array)) throw new EncodeError('BIT STRING bytes must be a Uint8Array');
    if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7) {
      throw new EncodeError('BIT STRING unusedBits must be 0..7');
    }
    if (bytes.length === 0 && unusedBits !== 0)
      throw new EncodeError('empty BIT STRING must have unusedBits 0');
    if (unusedBits > 0 && (bytes[bytes.length - 1]! & ((1 << unusedBits) - 1)) !== 0) {
      throw new EncodeError('BIT STRING padding bits must be zero');
    }
    writer.writeBytes(bytes);
    writer.writeByte(unusedBits);
  }
}

/**
 * A BIT STRING of up to 32 named flags as one unsigned number; flag `n` (bit n of the
 * ASN.1 named-bit list) is `2 ** (31 - n)`, i.e. `0x80000000 >>> n`.
 *
 * - `form: 'kerberos'` (RFC 4120 §5.2.8 KerberosFlags): always encoded with 32 bits, as MIT
 *   and Windows do; decoding accepts any length and ignores bits past 32, as MIT does.
 * - `form: 'named'` (X.690 §11.2.2, e.g. SPNEGO ContextFlags): trailing zero bits are
 *   removed on encoding, and decoding rejects an encoding that kept them.
 */
export class FlagsSchema extends TaggedSchema<number> {
  readonly typeName = 'BIT STRING';
  constructor(private readonly form: 'kerberos' | 'named') {
    super(TagClass.universal, UniversalTag.bitString, false);
  }

  decodeContent(input: Uint8Array, start: number, end: number): number {
    const unused = readUnused(input, start, end);
    if (this.form === 'named' && end - start > 1) {
      const last = input[end - 1]!;
      if ((last & (1 << unused)) === 0) {
        throw new DecodeError('named BIT STRING has trailing zero bits (not DER)', end - 1);
      }
      if (end - start - 1 > 4) throw new DecodeError('named BIT STRING longer than 32 bits', start);
    }
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const index = start + 1 + i;
      value = value * 256 + (index < end ? input[index]! : 0);
    }
    return value;
  }

  encodeContent(writer: ReverseWriter, value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new EncodeError(`flags must be an unsigned 32-bit integer, got ${show(value)}`);
    }
    if (this.form === 'kerberos') {
      writer.writeByte(value & 0xff);
      writer.writeByte((value >>> 8) & 0xff);
      writer.writeByte((value >>> 16) & 0xff);
      writer.writeByte(value >>> 24);
      writer.writeByte(0);
      return;
    }
    if (value === 0) {
      writer.writeByte(0);
      return;
    }
    let bits = 32;
    while ((value & (2 ** (32 - bits))) === 0) bits--;
    const length = Math.ceil(bits / 8);
    for (let i = length - 1; i >= 0; i--) writer.writeByte((value >>> (24 - 8 * i)) & 0xff);
    writer.writeByte(length * 8 - bits);
  }
}

export const bitString = (): BitStringSchema => new BitStringSchema();
/** RFC 4120 KerberosFlags: 32-bit BIT STRING as a number. */
export const kerberosFlags = (): FlagsSchema => new FlagsSchema('kerberos');
/** A DER named-bit list (trailing zero bits removed) of up to 32 bits, as a number. */
export const namedBits = (): FlagsSchema => new FlagsSchema('named');

/** Turns a flags number into the names of its set bits, given names by bit position. */
export function flagNames<const N extends string>(value: number, names: Readonly<Record<N, number>>): N[] {
  const out: N[] = [];
  for (const name of Object.keys(names) as N[]) {
    if ((value & (0x80000000 >>> checkBit(names[name], name))) !== 0) out.push(name);
  }
  return out;
}

// `>>>` takes its shift count modulo 32, so bit 33 would silently alias bit 1.
function checkBit(bit: number, name: string): number {
  if (!Number.isInteger(bit) || bit < 0 || bit > 31)
    throw new RangeError(`flag ${name} has bit ${bit}, not 0..31`);
  return bit;
}

/** Builds a flags number from names of set bits, given names by bit position. */
export function flagsFromNames<const N extends string>(
  set: Iterable<N>,
  names: Readonly<Record<N, number>>,
): number {
  let value = 0;
  for (const name of set) {
    // Own keys only: 'toString' or '__proto__' must not resolve to Object.prototype's members.
    const bit = Object.hasOwn(names, name) ? names[name] : undefined;
    if (bit === undefined) throw new EncodeError(`unknown flag ${name}`);
    value = (value | (0x80000000 >>> checkBit(bit, name))) >>> 0;
  }
  return value;
}
