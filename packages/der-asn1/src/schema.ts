import { DecodeError } from './errors.js';
import type { Header } from './reader.js';
import { describeTag, MAX_TAG_NUMBER, type TagClass, tagId } from './tag.js';
import type { ReverseWriter } from './writer.js';

/** Resource limits that bound the work any input can cause. */
export interface DecodeLimits {
  /** Deepest nesting of constructed values (default 64). */
  readonly maxDepth: number;
  /** Most elements in one SEQUENCE OF (default 65 536). */
  readonly maxItems: number;
}

/** State carried through one decode call. */
export interface DecodeContext {
  depth: number;
  readonly limits: DecodeLimits;
}

/**
 * A declared ASN.1 type: decoding, encoding and (through `Infer`) its TypeScript type all
 * come from one value of this class. Schemas are immutable and reusable.
 */
export abstract class Schema<T> {
  /** ASN.1 name of the type (`KDC-REQ`, `INTEGER`), for error paths and messages. */
  abstract readonly typeName: string;
  /** Tag ids this type can start with; `undefined` when any tag is accepted. */
  abstract readonly tagIds: readonly number[] | undefined;
  /** True when a decoder must check `tagIds` to know whether this type is present. */
  matches(id: number): boolean {
    const ids = this.tagIds;
    return ids === undefined || ids.includes(id);
  }
  /** Decodes the element whose header has been read. */
  abstract decodeElement(input: Uint8Array, header: Header, context: DecodeContext): T;
  /** Encodes a whole element (identifier, length, content). */
  abstract encodeElement(writer: ReverseWriter, value: T): void;
}

/** The TypeScript type a schema decodes to and encodes from. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/**
 * A type with one fixed tag. Its content codec is separate from the tag, so IMPLICIT
 * tagging (X.680 §31.2.7) can swap the tag and keep the content rules.
 */
export abstract class TaggedSchema<T> extends Schema<T> {
  readonly tagIds: readonly number[];
  readonly id: number;
  /** The identifier octet when the tag number is below 31 (one octet), else -1. */
  private readonly shortTag: number;

  constructor(
    readonly tagClass: TagClass,
    readonly tagNumber: number,
    readonly constructed: boolean,
  ) {
    super();
    if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > MAX_TAG_NUMBER) {
      throw new RangeError(`invalid tag number ${tagNumber}`);
    }
    this.id = tagId(tagClass, tagNumber);
    this.tagIds = [this.id];
    this.shortTag = tagNumber < 0x1f ? (tagClass << 6) | (constructed ? 0x20 : 0) | tagNumber : -1;
  }

  override matches(id: number): boolean {
    return id === this.id;
  }

  abstract decodeContent(input: Uint8Array, start: number, end: number, context: DecodeContext): T;
  abstract encodeContent(writer: ReverseWriter, value: T): void;

  decodeElement(input: Uint8Array, header: Header, context: DecodeContext): T {
    if (header.id !== this.id) {
      throw new DecodeError(
        `expected ${this.typeName} ${describeTag(this.id)}, found ${describeTag(header.id)}`,
        header.start,
      );
    }
    if (header.constructed !== this.constructed) {
      throw new DecodeError(
        `${this.typeName} must use the ${this.constructed ? 'constructed' : 'primitive'} form`,
        header.start,
      );
    }
    return this.decodeContent(input, header.contentStart, header.end, context);
  }

  encodeElement(writer: ReverseWriter, value: T): void {
    const mark = writer.size;
    this.encodeContent(writer, value);
    if (this.shortTag >= 0) {
      writer.writeShortHeader(this.shortTag, writer.size - mark);
      return;
    }
    writer.writeLength(writer.size - mark);
    writer.writeTag(this.tagClass, this.constructed, this.tagNumber);
  }
}

/** Enters one level of nesting, enforcing the depth limit. */
export function enter(context: DecodeContext, offset: number): void {
  if (++context.depth > context.limits.maxDepth) {
    throw new DecodeError(`nesting deeper than ${context.limits.maxDepth} levels`, offset);
  }
}
