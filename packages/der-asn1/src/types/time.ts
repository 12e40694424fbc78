import { DecodeError, EncodeError } from '../errors.js';
import { TaggedSchema } from '../schema.js';
import { TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

function digits(input: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = input[i]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Writes `value` as `width` decimal digits, zero-padded (the writer fills backwards). */
function writeDigits(writer: ReverseWriter, value: number, width: number): void {
  let rest = value;
  for (let i = 0; i < width; i++) {
    writer.writeByte(0x30 + (rest % 10));
    rest = Math.floor(rest / 10);
  }
}

/**
 * GeneralizedTime in the DER form (X.690 §11.7): `YYYYMMDDHHMMSS[.fff]Z`, UTC, seconds
 * always present, a fraction only when non-zero and without trailing zeros. Decodes to a
 * `Date`. `kerberos: true` is RFC 4120 §5.2.3 KerberosTime: no fraction at all.
 */
export class GeneralizedTimeSchema extends TaggedSchema<Date> {
  readonly typeName: string;
  constructor(private readonly kerberos: boolean) {
    super(TagClass.universal, UniversalTag.generalizedTime, false);
    this.typeName = kerberos ? 'KerberosTime' : 'GeneralizedTime';
  }

  decodeContent(input: Uint8Array, start: number, end: number): Date {
    const length = end - start;
    const fail = (why: string): never => {
      throw new DecodeError(`${this.typeName} ${why}`, start);
    };
    if (length < 15 || input[end - 1] !== 0x5a) fail('must be YYYYMMDDHHMMSS[.fff]Z');
    const year = digits(input, start, 4);
    const month = digits(input, start + 4, 2);
    const day = digits(input, start + 6, 2);
    const hour = digits(input, start + 8, 2);
    const minute = digits(input, start + 10, 2);
    const second = digits(input, start + 12, 2);
    let millis = 0;
    if (length > 15) {
      if (this.kerberos) fail('must not have fractional seconds');
      const fractionDigits = length - 16;
      if (input[start + 14] !== 0x2e || fractionDigits < 1) fail('fraction must be "." and digits');
      if (fractionDigits > 3) fail('fraction finer than milliseconds is not supported');
      if (input[end - 2] === 0x30) fail('fraction has trailing zeros (not DER)');
      const fraction = digits(input, start + 15, fractionDigits);
      if (fraction < 0) fail('fraction has a non-digit');
      millis = fraction * 10 ** (3 - fractionDigits);
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) fail('has an invalid date');
    if (minute < 0 || minute > 59 || second < 0 || second > 59) fail('has an invalid time of day');
    const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
    date.setUTCFullYear(year);
    if (date.getUTCDate() !== day) fail('has a day that does not exist in its month');
    return date;
  }

  encodeContent(writer: ReverseWriter, value: Date): void {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new EncodeError(`${this.typeName} must be a valid Date`);
    }
    const year = value.getUTCFullYear();
    if (year < 0 || year > 9999) throw new EncodeError(`${this.typeName} year ${year} is outside 0000..9999`);
    // Written backwards, straight into the writer (no string or array in between):
    // Z, [.fff without trailing zeros], ss mm hh DD MM YYYY.
    writer.writeByte(0x5a);
    // KerberosTime carries whole seconds; the microseconds travel in a separate field.
    const millis = value.getUTCMilliseconds();
    if (!this.kerberos && millis !== 0) {
      let fraction = millis;
      let width = 3;
      while (fraction % 10 === 0) {
        fraction /= 10;
        width--;
      }
      writeDigits(writer, fraction, width);
      writer.writeByte(0x2e);
    }
    writeDigits(writer, value.getUTCSeconds(), 2);
    writeDigits(writer, value.getUTCMinutes(), 2);
    writeDigits(writer, value.getUTCHours(), 2);
    writeDigits(writer, value.getUTCDate(), 2);
    writeDigits(writer, value.getUTCMonth() + 1, 2);
    writeDigits(writer, year, 4);
  }
}

/** KerberosTime ::= GeneralizedTime -- no fractional seconds (RFC 4120 §5.2.3). */
export const kerberosTime = (): GeneralizedTimeSchema => new GeneralizedTimeSchema(true);
/** GeneralizedTime in DER form, millisecond precision. */
export const generalizedTime = (): GeneralizedTimeSchema => new GeneralizedTimeSchema(false);
