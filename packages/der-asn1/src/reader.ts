import { DecodeError } from './errors.js';
import { MAX_TAG_NUMBER } from './tag.js';

/** A parsed DER identifier + length (X.690 §8.1.2-8.1.3, with the DER restrictions of §10.1). */
export interface Header {
  /** `tagClass << 21 | tagNumber`, see `tagId`. */
  readonly id: number;
  readonly constructed: boolean;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

/**
 * Reads one identifier and length at `offset`, checking that the whole element fits before
 * `limit`. DER only: definite lengths in their shortest form, tag numbers in their shortest
 * form. Throws `DecodeError` on anything else; never reads past `limit`.
 */
export function readHeader(input: Uint8Array, offset: number, limit: number): Header {
  let pos = offset;
  if (pos >= limit) throw new DecodeError('unexpected end of input: expected a tag', pos);
  const first = input[pos++]!;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    let byte: number;
    let count = 0;
    do {
      if (pos >= limit) throw new DecodeError('unexpected end of input inside a long tag', pos);
      byte = input[pos++]!;
      if (count === 0 && byte === 0x80) throw new DecodeError('non-minimal long tag number', pos - 1);
      tagNumber = tagNumber * 128 + (byte & 0x7f);
      if (tagNumber > MAX_TAG_NUMBER) throw new DecodeError('tag number too large', offset);
      count++;
    } while (byte & 0x80);
    if (tagNumber < 0x1f) throw new DecodeError('long tag form used for a tag number below 31', offset);
  }
  if (pos >= limit) throw new DecodeError('unexpected end of input: expected a length', pos);
  const lengthByte = input[pos++]!;
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else if (lengthByte === 0x80) {
    throw new DecodeError('indefinite length is not DER', pos - 1);
  } else {
    const count = lengthByte & 0x7f;
    if (count > 4) throw new DecodeError(`length of ${count} octets is too large`, pos - 1);
    if (pos + count > limit) throw new DecodeError('unexpected end of input inside a length', pos);
    if (input[pos] === 0) throw new DecodeError('non-minimal length (leading zero octet)', pos);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + input[pos++]!;
    if (length < 0x80) throw new DecodeError('non-minimal length (long form below 128)', pos - count - 1);
  }
  const end = pos + length;
  if (end > limit) {
    throw new DecodeError(`truncated: ${length} content octets declared, ${limit - pos} available`, offset);
  }
  return {
    id: (first >> 6) * 0x200000 + tagNumber,
    constructed: (first & 0x20) !== 0,
    start: offset,
    contentStart: pos,
    end,
  };
}
