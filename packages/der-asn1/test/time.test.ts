import { describe, expect, it } from 'vitest';
import { decode, encode, generalizedTime, kerberosTime } from '../src/index.js';
import { expectDecodeError, expectEncodeError, toHex } from './helpers.js';

const ascii = (text: string) => new TextEncoder().encode(text);
/** A GeneralizedTime element holding `text`. */
const gt = (text: string) => Uint8Array.from([0x18, text.length, ...ascii(text)]);

describe('KerberosTime (RFC 4120 §5.2.3)', () => {
  const s = kerberosTime();

  it('encodes exactly YYYYMMDDHHMMSSZ', () => {
    const der = encode(s, new Date('1994-06-10T06:03:17Z'));
    expect(toHex(der)).toBe('180f31393934303631303036303331375a');
    expect(new TextDecoder().decode(der.subarray(2))).toBe('19940610060317Z');
  });

  it('decodes the MIT sample time 771228197', () => {
    expect(decode(s, gt('19940610060317Z')).getTime()).toBe(771228197 * 1000);
  });

  it('drops (truncates, never rounds) milliseconds on encode: microseconds travel apart', () => {
    expect(new TextDecoder().decode(encode(s, new Date('1994-06-10T06:03:17.999Z')).subarray(2))).toBe(
      '19940610060317Z',
    );
  });

  it.each(['19940610060317.5Z', '19940610060317.123Z', '19940610060317.0Z'])(
    'rejects the fraction in %s',
    (t) => {
      expectDecodeError(() => decode(s, gt(t)), { reason: /must not have fractional seconds/ });
    },
  );

  it('round-trips the edges of the 4-digit year range', () => {
    for (const iso of [
      '0000-01-01T00:00:00Z',
      '0001-02-28T12:00:00Z',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
    ]) {
      const date = new Date(iso);
      const der = encode(s, date);
      expect(decode(s, der).getTime()).toBe(date.getTime());
    }
    expect(new TextDecoder().decode(encode(s, new Date('0000-01-01T00:00:00Z')).subarray(2))).toBe(
      '00000101000000Z',
    );
  });
});

describe('GeneralizedTime (X.690 §11.7)', () => {
  const s = generalizedTime();

  it.each([
    ['19920722132100.3Z', '1992-07-22T13:21:00.300Z'],
    ['19920722132100.25Z', '1992-07-22T13:21:00.250Z'],
    ['19920722132100.001Z', '1992-07-22T13:21:00.001Z'],
    ['19920722132100.999Z', '1992-07-22T13:21:00.999Z'],
    ['20240229000000Z', '2024-02-29T00:00:00.000Z'],
    ['20000229235959Z', '2000-02-29T23:59:59.000Z'],
  ])('decodes %s and encodes it back', (text, iso) => {
    const date = decode(s, gt(text));
    expect(date.toISOString()).toBe(iso);
    expect(toHex(encode(s, date))).toBe(toHex(gt(text)));
  });

  it('writes a fraction only when non-zero, without trailing zeros', () => {
    const text = (iso: string) => new TextDecoder().decode(encode(s, new Date(iso)).subarray(2));
    expect(text('2001-02-03T04:05:06.000Z')).toBe('20010203040506Z');
    expect(text('2001-02-03T04:05:06.500Z')).toBe('20010203040506.5Z');
    expect(text('2001-02-03T04:05:06.120Z')).toBe('20010203040506.12Z');
    expect(text('2001-02-03T04:05:06.007Z')).toBe('20010203040506.007Z');
  });

  it.each([
    ['19920622123421.0Z', /trailing zeros/],
    ['19920722132100.30Z', /trailing zeros/],
    ['19920722132100.500Z', /trailing zeros/],
    ['19920722132100.Z', /fraction must be/],
    ['19920722132100,5Z', /fraction must be/],
    ['19920722132100.1234Z', /finer than milliseconds/],
    ['19920722132100.a1Z', /non-digit/],
    ['19920722132100.-1Z', /non-digit/],
  ])('rejects the fraction of %s', (text, reason) => {
    expectDecodeError(() => decode(s, gt(text)), { reason });
  });
});

describe.each([
  ['KerberosTime', kerberosTime],
  ['GeneralizedTime', generalizedTime],
] as const)('%s rejects invalid or non-DER times', (name, make) => {
  const s = make();
  it.each([
    ['20230230000000Z', 'February 30'],
    ['20230229000000Z', 'February 29 in a common year'],
    ['19000229000000Z', 'February 29 in 1900 (not a leap year)'],
    ['20230431000000Z', 'April 31'],
    ['20230001000000Z', 'month 00'],
    ['20231301000000Z', 'month 13'],
    ['20230100000000Z', 'day 00'],
    ['20230132000000Z', 'day 32'],
    ['19920520240000Z', 'hour 24 (X.690 §11.7 midnight example)'],
    ['20230101006000Z', 'minute 60'],
    ['20230101000060Z', 'second 60'],
    ['20230101000000', 'missing Z (local time)'],
    ['20230101000000+0100', 'local time with an offset'],
    ['20230101000000-0500', 'local time with a negative offset'],
    ['20230101000000z', 'lower-case z'],
    ['202301010000Z', 'missing seconds'],
    ['2023010100Z', 'hours only'],
    ['2O230101000000Z', 'letter O in the year'],
    ['2023-1-01000000Z', 'a sign in the month'],
    ['2023 101000000Z', 'a space'],
    ['+2023010100000Z', 'a plus sign'],
    ['', 'empty'],
    ['Z', 'Z only'],
  ])('%s (%s)', (text) => {
    expectDecodeError(() => decode(s, gt(text)), { path: name, offset: 2 });
  });

  it('rejects invalid Dates and years outside 0000..9999 on encode', () => {
    expectEncodeError(() => encode(s, new Date(Number.NaN)), { reason: /valid Date/ });
    expectEncodeError(() => encode(s, '19940610060317Z' as unknown as Date), { reason: /valid Date/ });
    expectEncodeError(() => encode(s, 771228197000 as unknown as Date), { reason: /valid Date/ });
    expectEncodeError(() => encode(s, new Date('+010000-01-01T00:00:00Z')), { reason: /year 10000/ });
    expectEncodeError(() => encode(s, new Date('-000001-12-31T23:59:59Z')), { reason: /year -1/ });
  });

  it('rejects the constructed form', () => {
    expectDecodeError(
      () => decode(s, Uint8Array.from([0x38, 0x11, 0x18, 0x0f, ...ascii('19940610060317Z')])),
      {
        reason: /primitive form/,
      },
    );
  });
});
