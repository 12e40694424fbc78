import { DecodeError, EncodeError } from '../errors.js';
import { type Header, readHeader } from '../reader.js';
import { type DecodeContext, Schema } from '../schema.js';
import { describeTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

function checkSingleElement(bytes: Uint8Array, tagIds: readonly number[] | undefined, what: string): void {
  if (!(bytes instanceof Uint8Array)) throw new EncodeError(`${what} must be a Uint8Array`);
  let header: Header;
  try {
    header = readHeader(bytes, 0, bytes.length);
  } catch (error) {
    throw new EncodeError(`${what} is not one DER element: ${(error as DecodeError).reason}`);
  }
  if (header.end !== bytes.length) throw new EncodeError(`${what} has bytes after its element`);
  if (tagIds !== undefined && !tagIds.includes(header.id)) {
    throw new EncodeError(`${what} has the tag ${describeTag(header.id)}, not an expected one`);
  }
}

/**
 * ANY: one whole element (identifier, length and content) kept as bytes, checked only for
 * a well-formed header. For open types (PA-DATA values, GSS tokens) decoded later by
 * whoever knows their type. The bytes are a view into the input.
 */
export class RawSchema extends Schema<Uint8Array> {
  readonly typeName: string;
  constructor(
    readonly tagIds: readonly number[] | undefined,
    name = 'ANY',
  ) {
    super();
    this.typeName = name;
  }
  decodeElement(input: Uint8Array, header: Header): Uint8Array {
    if (!this.matches(header.id)) {
      throw new DecodeError(`unexpected tag ${describeTag(header.id)} for ${this.typeName}`, header.start);
    }
    return input.subarray(header.start, header.end);
  }
  encodeElement(writer: ReverseWriter, value: Uint8Array): void {
    checkSingleElement(value, this.tagIds, this.typeName);
    writer.writeBytes(value);
  }
}

/** A decoded value together with the exact bytes it was decoded from. */
export interface Captured<T> {
  readonly value: T;
  /** The element's DER bytes: always set by the decoder; when set for encoding, written verbatim. */
  readonly der?: Uint8Array | undefined;
}

/**
 * Decodes like `inner` and also keeps the element's bytes, for checksums over encoded
 * parts (KDC-REQ-BODY, RFC 4120 §7.2.2) and for relaying a Ticket byte for byte.
 */
export class CapturedSchema<T> extends Schema<Captured<T>> {
  readonly typeName: string;
  readonly tagIds: readonly number[] | undefined;
  constructor(readonly inner: Schema<T>) {
    super();
    this.typeName = inner.typeName;
    this.tagIds = inner.tagIds;
  }
  override matches(id: number): boolean {
    return this.inner.matches(id);
  }
  decodeElement(input: Uint8Array, header: Header, context: DecodeContext): Captured<T> {
    const value = this.inner.decodeElement(input, header, context);
    return { value, der: input.subarray(header.start, header.end) };
  }
  encodeElement(writer: ReverseWriter, captured: Captured<T>): void {
    if (typeof captured !== 'object' || captured === null)
      throw new EncodeError(`${this.typeName} must be { value, der? }`);
    if (captured.der !== undefined) {
      checkSingleElement(captured.der, this.tagIds, this.typeName);
      writer.writeBytes(captured.der);
    } else {
      this.inner.encodeElement(writer, captured.value);
    }
  }
}

/** ANY element (optionally restricted to some tags), as its raw DER bytes. */
export const raw = (tagIds?: readonly number[], name?: string): RawSchema => new RawSchema(tagIds, name);
/** `inner`, plus the exact bytes it came from. */
export const captured = <T>(inner: Schema<T>): CapturedSchema<T> => new CapturedSchema(inner);
