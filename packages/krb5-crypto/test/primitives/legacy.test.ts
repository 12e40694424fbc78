/** MD4 (RFC 1320) and RC4 (RFC 6229): published vectors, then random inputs against OpenSSL's legacy provider. */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, md4, rc4, utf8Encode } from '../../src/primitives/index.js';
import { bytes, hex, loadVectors } from './helpers.js';

type Md4Vector = { source: string; input: string; inputHex: string; digest: string };
type Rc4Vector = { source: string; key: string; keystream: { offset: number; bytes: string }[] };

const md4Vectors = loadVectors<Md4Vector>('md4').vectors;
const rc4Vectors = loadVectors<Rc4Vector>('rc4').vectors;

/** Runs OpenSSL's own MD4/RC4 (legacy provider) in a child node, once for all cases; undefined if unavailable. */
function opensslLegacy(cases: {
  md4: string[];
  rc4: [string, string][];
}): { md4: string[]; rc4: string[] } | undefined {
  const script = `
    const c = require('node:crypto');
    const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const md4 = input.md4.map((h) => c.createHash('md4').update(Buffer.from(h, 'hex')).digest('hex'));
    const rc4 = input.rc4.map(([k, d]) => c.createCipheriv('rc4', Buffer.from(k, 'hex'), null).update(Buffer.from(d, 'hex')).toString('hex'));
    process.stdout.write(JSON.stringify({ md4, rc4 }));`;
  try {
    const out = execFileSync(process.execPath, ['--openssl-legacy-provider', '-e', script], {
      input: JSON.stringify(cases),
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.toString());
  } catch {
    return undefined;
  }
}

describe('MD4 (RFC 1320)', () => {
  it.each(md4Vectors)('A.5: md4("$input")', (v) => {
    expect(hex(utf8Encode(v.input))).toBe(v.inputHex);
    expect(hex(md4(bytes(v.inputHex)))).toBe(v.digest);
  });

  it('does not modify its input', () => {
    const data = bytes('00112233');
    md4(data);
    expect(hex(data)).toBe('00112233');
  });

  it('rejects non-bytes', () => {
    expect(() => md4('abc' as unknown as Uint8Array)).toThrow(InvalidInputError);
  });
});

describe('RC4 (RFC 6229)', () => {
  it.each(rc4Vectors)('$source', (v) => {
    const last = v.keystream.at(-1)!;
    const stream = rc4(bytes(v.key), new Uint8Array(last.offset + 16));
    for (const { offset, bytes: want } of v.keystream) {
      expect(hex(stream.subarray(offset, offset + 16)), `offset ${offset}`).toBe(want);
    }
  });

  it('is its own inverse', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.uint8Array({ maxLength: 2000 }),
        (k, d) => {
          expect(hex(rc4(k, rc4(k, d)))).toBe(hex(d));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects keys outside 1..256 bytes', () => {
    expect(() => rc4(new Uint8Array(0), new Uint8Array(1))).toThrow(InvalidInputError);
    expect(() => rc4(new Uint8Array(257), new Uint8Array(1))).toThrow(InvalidInputError);
    expect(() => rc4(new Uint8Array(1), [1] as unknown as Uint8Array)).toThrow(InvalidInputError);
  });
});

describe('MD4 and RC4 against OpenSSL (node --openssl-legacy-provider)', () => {
  // Every length 0..300 covers each padding boundary (55/56/64 mod 64) several times.
  const md4Inputs = [
    ...Array.from({ length: 301 }, (_, n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff)),
    ...fc.sample(fc.uint8Array({ maxLength: 5000 }), { numRuns: 200, seed: 1320 }),
  ];
  const rc4Inputs = fc.sample(
    fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.uint8Array({ maxLength: 3000 })),
    { numRuns: 300, seed: 6229 },
  );
  const expected = opensslLegacy({
    md4: md4Inputs.map(hex),
    rc4: rc4Inputs.map(([k, d]) => [hex(k), hex(d)]),
  });

  it.skipIf(expected === undefined)('md4 matches OpenSSL on 501 inputs', () => {
    expect(md4Inputs.map((d) => hex(md4(d)))).toEqual(expected!.md4);
  });

  it.skipIf(expected === undefined)('rc4 matches OpenSSL on 300 random keys/messages', () => {
    expect(rc4Inputs.map(([k, d]) => hex(rc4(k, d)))).toEqual(expected!.rc4);
  });
});
