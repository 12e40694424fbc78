import { DecodeError, EncodeError } from '../errors.js';
import { readHeader } from '../reader.js';
import { type DecodeContext, enter, type Schema, TaggedSchema } from '../schema.js';
import { TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

export interface SequenceOfOptions {
  readonly name?: string;
  /** Fewest elements allowed (`SIZE (1..MAX)` is `min: 1`). */
  readonly min?: number;
  /** Most elements allowed; the decode limit `maxItems` applies as well. */
  readonly max?: number;
}

/** SEQUENCE OF (X.680 §25, X.690 §8.10) as an array. */
export class SequenceOfSchema<T> extends TaggedSchema<T[]> {
  readonly typeName: string;
  private readonly min: number;
  private readonly max: number;

  constructor(
    readonly item: Schema<T>,
    options: SequenceOfOptions = {},
  ) {
    super(TagClass.universal, UniversalTag.sequence, true);
    this.typeName = options.name ?? 'SEQUENCE OF';
    this.min = options.min ?? 0;
    this.max = options.max ?? Number.POSITIVE_INFINITY;
  }

  decodeContent(input: Uint8Array, start: number, end: number, context: DecodeContext): T[] {
    enter(context, start);
    const out: T[] = [];
    const limit = Math.min(this.max, context.limits.maxItems);
    let pos = start;
    while (pos < end) {
      if (out.length >= limit) {
        throw new DecodeError(`${this.typeName} has more than ${limit} elements`, pos);
      }
      const header = readHeader(input, pos, end);
      try {
        out.push(this.item.decodeElement(input, header, context));
      } catch (error) {
        if (error instanceof DecodeError) error.within(`[${out.length}]`);
        throw error;
      }
      pos = header.end;
    }
    if (out.length < this.min) {
      throw new DecodeError(
        `${this.typeName} has ${out.length} elements, at least ${this.min} required`,
        start,
      );
    }
    context.depth--;
    return out;
  }

  encodeContent(writer: ReverseWriter, value: T[]): void {
    if (!Array.isArray(value)) throw new EncodeError(`${this.typeName} must be an array`);
    if (value.length < this.min || value.length > this.max) {
      throw new EncodeError(
        `${this.typeName} has ${value.length} elements, expected ${this.min}..${this.max}`,
      );
    }
    for (let i = value.length - 1; i >= 0; i--) {
      try {
        this.item.encodeElement(writer, value[i] as T);
      } catch (error) {
        if (error instanceof EncodeError) error.within(`[${i}]`);
        throw error;
      }
    }
  }
}

export const sequenceOf = <T>(item: Schema<T>, options?: SequenceOfOptions): SequenceOfSchema<T> =>
  new SequenceOfSchema(item, options);
