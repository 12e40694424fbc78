import { DecodeError, EncodeError } from './errors.js';
import { readHeader } from './reader.js';
import type { DecodeContext, DecodeLimits, Schema } from './schema.js';
import { describeTag } from './tag.js';
import { ReverseWriter } from './writer.js';

export interface DecodeOptions {
  /** Deepest nesting of constructed values (default 64, at most 1000). */
  readonly maxDepth?: number;
  /** Most elements in one SEQUENCE OF (default 65 536). */
  readonly maxItems?: number;
  /** Largest input accepted, in bytes (default 4 MiB). */
  readonly maxLength?: number;
}

const DEFAULTS = { maxDepth: 64, maxItems: 65536, maxLength: 4 * 1024 * 1024 };
// Decoding recurses a few frames per level; past this a deep input could exhaust the stack
// (a RangeError instead of a DecodeError), so larger maxDepth values are capped here.
const MAX_DEPTH_CAP = 1000;

function limitsOf(options: DecodeOptions | undefined): DecodeLimits {
  return {
    maxDepth: Math.min(options?.maxDepth ?? DEFAULTS.maxDepth, MAX_DEPTH_CAP),
    maxItems: options?.maxItems ?? DEFAULTS.maxItems,
  };
}

function decodeAt<T>(
  schema: Schema<T>,
  input: Uint8Array,
  options: DecodeOptions | undefined,
): { value: T; length: number } {
  if (!(input instanceof Uint8Array)) throw new DecodeError('input must be a Uint8Array', 0);
  const maxLength = options?.maxLength ?? DEFAULTS.maxLength;
  if (input.length > maxLength) {
    throw new DecodeError(`input of ${input.length} bytes exceeds the ${maxLength}-byte limit`, 0);
  }
  const context: DecodeContext = { depth: 0, limits: limitsOf(options) };
  try {
    const header = readHeader(input, 0, input.length);
    if (!schema.matches(header.id)) {
      throw new DecodeError(`expected ${schema.typeName}, found ${describeTag(header.id)}`, 0);
    }
    return { value: schema.decodeElement(input, header, context), length: header.end };
  } catch (error) {
    if (error instanceof DecodeError && error.segments[0] !== schema.typeName) error.within(schema.typeName);
    throw error;
  }
}

/**
 * Decodes exactly one DER element of type `schema` that fills the whole input. Throws
 * `DecodeError` (with a path and offset) for anything else, trailing bytes included.
 */
export function decode<T>(schema: Schema<T>, input: Uint8Array, options?: DecodeOptions): T {
  const { value, length } = decodeAt(schema, input, options);
  if (length !== input.length) {
    throw new DecodeError(`${input.length - length} trailing bytes after ${schema.typeName}`, length, [
      schema.typeName,
    ]);
  }
  return value;
}

/**
 * Decodes one DER element at the start of the input and says how many bytes it took;
 * for streams and for formats that put data after a DER value (GSS tokens).
 */
export function decodePrefix<T>(
  schema: Schema<T>,
  input: Uint8Array,
  options?: DecodeOptions,
): { value: T; length: number } {
  return decodeAt(schema, input, options);
}

// One writer kept between encode() calls so its grown buffer is reused. An encode() that
// starts while another is running (a mapping that calls encode) takes a fresh writer, and
// finish() copies, so no two results ever share memory.
let spare: ReverseWriter | undefined;

/** Encodes a value as DER. Throws `EncodeError` (with a path) for values the type cannot hold. */
export function encode<T>(schema: Schema<T>, value: T): Uint8Array {
  const writer = spare ?? new ReverseWriter();
  spare = undefined;
  try {
    schema.encodeElement(writer, value);
    return writer.finish();
  } catch (error) {
    if (error instanceof EncodeError && error.segments[0] !== schema.typeName) error.within(schema.typeName);
    throw error;
  } finally {
    if (writer.reset()) spare = writer;
  }
}
