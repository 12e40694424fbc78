import { DecodeError, EncodeError, show } from '../errors.js';
import { TaggedSchema } from '../schema.js';
import { TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

const OID_TEXT = /^[0-2](\.(0|[1-9][0-9]*))+$/;

/** Decodes OBJECT IDENTIFIER content octets (X.690 §8.19) to dotted form. */
export function decodeOidContent(input: Uint8Array, start: number, end: number): string {
  if (end === start) throw new DecodeError('OBJECT IDENTIFIER has no content octets', start);
  if ((input[end - 1]! & 0x80) !== 0)
    throw new DecodeError('OBJECT IDENTIFIER ends inside a subidentifier', end - 1);
  const arcs: string[] = [];
  let pos = start;
  while (pos < end) {
    if (input[pos] === 0x80) throw new DecodeError('non-minimal OBJECT IDENTIFIER subidentifier', pos);
    let value = 0;
    let big: bigint | undefined;
    let octet: number;
    do {
      octet = input[pos++]!;
      if (big === undefined && value > 2 ** 45) big = BigInt(value);
      if (big === undefined) value = value * 128 + (octet & 0x7f);
      else big = big * 128n + BigInt(octet & 0x7f);
    } while (octet & 0x80);
    if (arcs.length === 0) {
      // The first subidentifier packs two arcs: 40 * first + second (X.690 §8.19.4).
      if (big !== undefined) {
        arcs.push('2', String(big - 80n));
      } else if (value < 80) {
        arcs.push(String(Math.floor(value / 40)), String(value % 40));
      } else {
        arcs.push('2', String(value - 80));
      }
    } else {
      arcs.push(big === undefined ? String(value) : String(big));
    }
  }
  return arcs.join('.');
}

/** Encodes a dotted OBJECT IDENTIFIER's content octets. */
export function encodeOidContent(oid: string): Uint8Array {
  if (typeof oid !== 'string' || !OID_TEXT.test(oid))
    throw new EncodeError(`invalid OBJECT IDENTIFIER "${show(oid)}"`);
  const arcs = oid.split('.').map((arc) => BigInt(arc));
  const first = arcs[0]!;
  const second = arcs[1]!;
  if (first < 2n && second > 39n)
    throw new EncodeError(`invalid OBJECT IDENTIFIER "${oid}": second arc above 39`);
  const values = [first * 40n + second, ...arcs.slice(2)];
  const out: number[] = [];
  for (const value of values) {
    const groups: number[] = [];
    let rest = value;
    do {
      groups.push(Number(rest & 0x7fn));
      rest >>= 7n;
    } while (rest > 0n);
    for (let i = groups.length - 1; i >= 0; i--) out.push(groups[i]! | (i > 0 ? 0x80 : 0));
  }
  return Uint8Array.from(out);
}

/** OBJECT IDENTIFIER (X.690 §8.19) as its dotted string, e.g. `1.3.6.1.5.2.5`. */
export class ObjectIdentifierSchema extends TaggedSchema<string> {
  readonly typeName = 'OBJECT IDENTIFIER';
  // OIDs repeat (mech types), so their encodings are worth keeping.
  private readonly encoded = new Map<string, Uint8Array>();
  constructor() {
    super(TagClass.universal, UniversalTag.objectIdentifier, false);
  }
  decodeContent(input: Uint8Array, start: number, end: number): string {
    return decodeOidContent(input, start, end);
  }
  encodeContent(writer: ReverseWriter, value: string): void {
    let bytes = this.encoded.get(value);
    if (bytes === undefined) {
      bytes = encodeOidContent(value);
      if (this.encoded.size < 256) this.encoded.set(value, bytes);
    }
    writer.writeBytes(bytes);
  }
}

export const objectIdentifier = (): ObjectIdentifierSchema => new ObjectIdentifierSchema();
