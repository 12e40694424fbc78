import { DecodeError, EncodeError } from '../errors.js';
import { TaggedSchema } from '../schema.js';
import { TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function isAscii(input: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (input[i]! >= 0x80) return false;
  return true;
}

function isAsciiString(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) return false;
  return true;
}

function decodeAscii(input: Uint8Array, start: number, end: number): string {
  // Short ASCII strings (principal names, realms) dominate; this avoids TextDecoder's call cost.
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(input[i]!);
  return out;
}

function encodeUtf8(value: string, what: string): Uint8Array {
  if (typeof value !== 'string') throw new EncodeError(`${what} must be a string, got ${typeof value}`);
  if (!value.isWellFormed()) throw new EncodeError(`${what} contains a lone surrogate`);
  return utf8Encoder.encode(value);
}

/**
 * A character string whose octets are UTF-8: UTF8String (X.680 §41) and, for Kerberos,
 * GeneralString. RFC 4120 §5.2.1 says KerberosString should be IA5, but Windows and MIT put
 * UTF-8 in it, so a `GeneralString` decodes as UTF-8 and rejects only invalid UTF-8.
 */
export class Utf8StringSchema extends TaggedSchema<string> {
  constructor(
    readonly typeName: string,
    tagNumber: number,
  ) {
    super(TagClass.universal, tagNumber, false);
  }
  decodeContent(input: Uint8Array, start: number, end: number): string {
    if (end - start < 64 && isAscii(input, start, end)) return decodeAscii(input, start, end);
    try {
      return utf8Decoder.decode(input.subarray(start, end));
    } catch {
      throw new DecodeError(`${this.typeName} is not valid UTF-8`, start);
    }
  }
  encodeContent(writer: ReverseWriter, value: string): void {
    // Short ASCII strings (realms, principal names) are written directly: a TextEncoder
    // call costs more than the copy. ASCII is its own UTF-8 and has no surrogates.
    if (typeof value === 'string' && value.length < 64 && isAsciiString(value)) {
      for (let i = value.length - 1; i >= 0; i--) writer.writeByte(value.charCodeAt(i));
      return;
    }
    writer.writeBytes(encodeUtf8(value, this.typeName));
  }
}

/** IA5String (X.680 §41.4): 7-bit characters only. */
export class Ia5StringSchema extends TaggedSchema<string> {
  readonly typeName = 'IA5String';
  constructor() {
    super(TagClass.universal, UniversalTag.ia5String, false);
  }
  decodeContent(input: Uint8Array, start: number, end: number): string {
    if (!isAscii(input, start, end)) throw new DecodeError('IA5String has a non-ASCII octet', start);
    return decodeAscii(input, start, end);
  }
  encodeContent(writer: ReverseWriter, value: string): void {
    if (typeof value !== 'string') throw new EncodeError(`IA5String must be a string, got ${typeof value}`);
    const bytes = new Uint8Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) throw new EncodeError('IA5String has a non-ASCII character');
      bytes[i] = code;
    }
    writer.writeBytes(bytes);
  }
}

export const utf8String = (): Utf8StringSchema => new Utf8StringSchema('UTF8String', UniversalTag.utf8String);
/** GeneralString holding UTF-8 (KerberosString, RFC 4120 §5.2.1). */
export const generalString = (): Utf8StringSchema =>
  new Utf8StringSchema('GeneralString', UniversalTag.generalString);
export const ia5String = (): Ia5StringSchema => new Ia5StringSchema();
