import { DecodeError, EncodeError } from '../errors.js';
import { TaggedSchema } from '../schema.js';
import { TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

/** BOOLEAN (X.690 §11.1: DER allows only 0x00 and 0xFF). */
export class BooleanSchema extends TaggedSchema<boolean> {
  readonly typeName = 'BOOLEAN';
  constructor() {
    super(TagClass.universal, UniversalTag.boolean, false);
  }
  decodeContent(input: Uint8Array, start: number, end: number): boolean {
    if (end - start !== 1) throw new DecodeError('BOOLEAN must have exactly one content octet', start);
    const octet = input[start];
    if (octet === 0x00) return false;
    if (octet === 0xff) return true;
    throw new DecodeError('BOOLEAN TRUE must be 0xFF in DER', start);
  }
  encodeContent(writer: ReverseWriter, value: boolean): void {
    if (typeof value !== 'boolean') throw new EncodeError(`BOOLEAN must be a boolean, got ${typeof value}`);
    writer.writeByte(value ? 0xff : 0x00);
  }
}

/** NULL (X.690 §8.8). Decodes to `null`. */
export class NullSchema extends TaggedSchema<null> {
  readonly typeName = 'NULL';
  constructor() {
    super(TagClass.universal, UniversalTag.null, false);
  }
  decodeContent(_input: Uint8Array, start: number, end: number): null {
    if (end !== start) throw new DecodeError('NULL must have no content octets', start);
    return null;
  }
  encodeContent(_writer: ReverseWriter, value: null): void {
    if (value !== null) throw new EncodeError('NULL must be null');
  }
}

export interface SizeRange {
  readonly min?: number;
  readonly max?: number;
}

/**
 * OCTET STRING (X.690 §8.7, primitive form only in DER). The decoded value is a view into
 * the input (no copy): copy it if the input buffer will be reused.
 */
export class OctetStringSchema extends TaggedSchema<Uint8Array> {
  readonly typeName = 'OCTET STRING';
  private readonly min: number;
  private readonly max: number;
  constructor(size: SizeRange = {}) {
    super(TagClass.universal, UniversalTag.octetString, false);
    this.min = size.min ?? 0;
    this.max = size.max ?? Number.POSITIVE_INFINITY;
  }
  decodeContent(input: Uint8Array, start: number, end: number): Uint8Array {
    const length = end - start;
    if (length < this.min || length > this.max) {
      throw new DecodeError(`OCTET STRING of ${length} octets, expected ${this.min}..${this.max}`, start);
    }
    return input.subarray(start, end);
  }
  encodeContent(writer: ReverseWriter, value: Uint8Array): void {
    if (!(value instanceof Uint8Array)) throw new EncodeError('OCTET STRING must be a Uint8Array');
    if (value.length < this.min || value.length > this.max) {
      throw new EncodeError(`OCTET STRING of ${value.length} octets, expected ${this.min}..${this.max}`);
    }
    writer.writeBytes(value);
  }
}

export const boolean = (): BooleanSchema => new BooleanSchema();
export const nullValue = (): NullSchema => new NullSchema();
export const octetString = (size?: SizeRange): OctetStringSchema => new OctetStringSchema(size);
