import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeytabFormatError, parsePrincipal, readKeytab, writeKeytab } from '../../src/index.js';
import { Builder } from './build.js';
import { mutated, randomFile } from './mutate.js';

const RUNS = 10_000;

/** Reading never throws anything but KeytabFormatError; what it reads writes and reads back the same. */
function check(bytes: Uint8Array): void {
  for (const byteOrder of ['big', 'little'] as const) {
    let entries: ReturnType<typeof readKeytab>;
    try {
      entries = readKeytab(bytes, { byteOrder });
    } catch (e) {
      if (!(e instanceof KeytabFormatError)) throw e;
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(bytes.length);
      continue;
    }
    expect(readKeytab(writeKeytab(entries))).toEqual(entries);
  }
}

describe('readKeytab fuzz', () => {
  const seeds: Uint8Array[] = [];
  beforeAll(async () => {
    for (const f of ['mit-alice.keytab', 'mit-service.keytab']) {
      seeds.push(new Uint8Array(await readFile(new URL(`./fixtures/${f}`, import.meta.url))));
    }
    seeds.push(
      writeKeytab([
        {
          principal: parsePrincipal('ü/x@R'),
          timestamp: new Date(0),
          kvno: 300,
          key: { enctype: 17, bytes: new Uint8Array(16) },
        },
      ]),
    );
    // a 0x0501 file (little-endian) with a hole
    const body = new Builder(true).u16(2).str16('R').str16('a').u32(1).u8(2).u16(18).u16(1).raw([9]).bytes();
    seeds.push(new Builder(true).raw([5, 1]).u32(-3).raw([0, 0, 0]).u32(body.length).raw(body).bytes());
  });

  it(`random bytes (${RUNS} runs)`, () => {
    fc.assert(fc.property(randomFile([1, 2]), check), { numRuns: RUNS });
  }, 120_000);

  it(`mutated valid keytabs (${RUNS} runs)`, () => {
    fc.assert(fc.property(mutated(seeds), check), { numRuns: RUNS });
  }, 120_000);

  it('does not allocate for lying lengths and returns quickly', () => {
    const start = performance.now();
    for (const len of [0x7fffffff, -0x7fffffff, 0x7fff]) {
      const b = new Builder().u16(0x0502).u32(len).raw(new Uint8Array(8)).bytes();
      expect(() => readKeytab(b)).toThrow(KeytabFormatError);
    }
    expect(performance.now() - start).toBeLessThan(100);
  });
});
