import { DecodeError, EncodeError, show } from '../errors.js';
import { type DecodeContext, TaggedSchema } from '../schema.js';
import { TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

/** X.690 §8.3.2: the first nine bits of a multi-octet INTEGER are never all equal. */
function checkMinimal(input: Uint8Array, start: number, end: number, what: string): void {
  if (end === start) throw new DecodeError(`${what} has no content octets`, start);
  if (end - start > 1) {
    const first = input[start]!;
    const second = input[start + 1]!;
    if ((first === 0x00 && (second & 0x80) === 0) || (first === 0xff && (second & 0x80) !== 0)) {
      throw new DecodeError(`non-minimal ${what} encoding`, start);
    }
  }
}

function readSmall(input: Uint8Array, start: number, end: number): number {
  let value = (input[start]! << 24) >> 24;
  for (let i = start + 1; i < end; i++) value = value * 256 + input[i]!;
  return value;
}

function readBig(input: Uint8Array, start: number, end: number): bigint {
  let value = BigInt((input[start]! << 24) >> 24);
  for (let i = start + 1; i < end; i++) value = (value << 8n) | BigInt(input[i]!);
  return value;
}

function writeNumber(writer: ReverseWriter, value: number): void {
  // Two's complement, least significant octet first (the writer fills backwards), then
  // one sign octet when the top octet's high bit would say the wrong sign.
  let rest = value;
  let octet: number;
  if (value >= 0) {
    do {
      octet = rest % 256;
      writer.writeByte(octet);
      rest = Math.floor(rest / 256);
    } while (rest > 0);
    if (octet >= 0x80) writer.writeByte(0x00);
  } else {
    do {
      octet = ((rest % 256) + 256) % 256;
      writer.writeByte(octet);
      rest = (rest - octet) / 256;
    } while (rest !== -1);
    if (octet < 0x80) writer.writeByte(0xff);
  }
}

function writeBig(writer: ReverseWriter, value: bigint): void {
  let rest = value;
  for (;;) {
    const octet = Number(rest & 0xffn);
    writer.writeByte(octet);
    rest >>= 8n;
    if (rest === 0n && octet < 128) return;
    if (rest === -1n && octet >= 128) return;
  }
}

export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
}

/** INTEGER (X.690 §8.3) as a JS number, optionally constrained to `[min, max]`. */
export class IntegerSchema extends TaggedSchema<number> {
  readonly typeName: string;
  private readonly min: number;
  private readonly max: number;

  constructor(range: IntegerRange = {}, typeName = 'INTEGER', tagNumber: number = UniversalTag.integer) {
    super(TagClass.universal, tagNumber, false);
    this.typeName = typeName;
    this.min = range.min ?? Number.MIN_SAFE_INTEGER;
    this.max = range.max ?? Number.MAX_SAFE_INTEGER;
  }

  decodeContent(input: Uint8Array, start: number, end: number, _context: DecodeContext): number {
    checkMinimal(input, start, end, this.typeName);
    let value: number;
    if (end - start <= 6) {
      value = readSmall(input, start, end);
    } else {
      const big = readBig(input, start, end);
      if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new DecodeError(`${this.typeName} ${big} is outside the range ${this.min}..${this.max}`, start);
      }
      value = Number(big);
    }
    if (value < this.min || value > this.max) {
      throw new DecodeError(`${this.typeName} ${value} is outside the range ${this.min}..${this.max}`, start);
    }
    return value;
  }

  encodeContent(writer: ReverseWriter, value: number): void {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new EncodeError(`${this.typeName} must be a safe integer, got ${show(value)}`);
    }
    if (value < this.min || value > this.max) {
      throw new EncodeError(`${this.typeName} ${value} is outside the range ${this.min}..${this.max}`);
    }
    writeNumber(writer, value);
  }
}

/** INTEGER of any size as a bigint. */
export class BigIntegerSchema extends TaggedSchema<bigint> {
  readonly typeName = 'INTEGER';
  constructor() {
    super(TagClass.universal, UniversalTag.integer, false);
  }

  decodeContent(input: Uint8Array, start: number, end: number): bigint {
    checkMinimal(input, start, end, 'INTEGER');
    return readBig(input, start, end);
  }

  encodeContent(writer: ReverseWriter, value: bigint): void {
    if (typeof value !== 'bigint') throw new EncodeError(`INTEGER must be a bigint, got ${typeof value}`);
    writeBig(writer, value);
  }
}

/** INTEGER as a JS number (safe-integer range unless narrowed). */
export const integer = (range?: IntegerRange): IntegerSchema => new IntegerSchema(range);
/** INTEGER of any magnitude, as a bigint. */
export const bigInteger = (): BigIntegerSchema => new BigIntegerSchema();
/** Int32 ::= INTEGER (-2147483648..2147483647), RFC 4120 §5.2.4. */
export const int32 = (): IntegerSchema => new IntegerSchema({ min: -0x80000000, max: 0x7fffffff }, 'Int32');
/** UInt32 ::= INTEGER (0..4294967295), RFC 4120 §5.2.4. */
export const uint32 = (): IntegerSchema => new IntegerSchema({ min: 0, max: 0xffffffff }, 'UInt32');
/** ENUMERATED (X.690 §8.4), encoded like INTEGER under universal tag 10. */
export const enumerated = (range?: IntegerRange): IntegerSchema =>
  new IntegerSchema(range, 'ENUMERATED', UniversalTag.enumerated);
