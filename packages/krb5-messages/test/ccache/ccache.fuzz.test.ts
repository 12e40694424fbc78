import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Ccache, CcacheFormatError, parsePrincipal, readCcache, writeCcache } from '../../src/index.js';
import { Builder } from '../keytab/build.js';
import { mutated, randomFile } from '../keytab/mutate.js';

const RUNS = 10_000;

/** Reading never throws anything but CcacheFormatError; what it reads writes and reads back the same. */
function check(bytes: Uint8Array): void {
  for (const byteOrder of ['big', 'little'] as const) {
    let cc: Ccache;
    try {
      cc = readCcache(bytes, { byteOrder });
    } catch (e) {
      if (!(e instanceof CcacheFormatError)) throw e;
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(bytes.length);
      continue;
    }
    expect(readCcache(writeCcache(cc, { byteOrder }), { byteOrder })).toEqual(cc);
  }
}

describe('readCcache fuzz', () => {
  const seeds: Uint8Array[] = [];
  beforeAll(async () => {
    for (const v of [1, 2, 3, 4]) {
      seeds.push(new Uint8Array(await readFile(new URL(`./fixtures/mit-v${v}.ccache`, import.meta.url))));
    }
    const alice = parsePrincipal('alice@R');
    seeds.push(
      writeCcache({
        defaultPrincipal: alice,
        kdcTimeOffset: { seconds: 5, microseconds: 6 },
        config: [{ key: 'k', value: Uint8Array.of(1), principal: parsePrincipal('x\\/y@R') }],
        credentials: [
          {
            client: alice,
            server: parsePrincipal('krbtgt/R@R'),
            key: { enctype: 18, bytes: new Uint8Array(32) },
            authtime: new Date(1e12),
            endtime: new Date(2e12),
            isSkey: true,
            ticketFlags: 0x40e10000,
            addresses: [{ addrType: 2, address: Uint8Array.of(127, 0, 0, 1) }],
            authdata: [{ adType: 1, adData: Uint8Array.of(0x30, 0) }],
            ticket: Uint8Array.of(0x61, 0),
            secondTicket: Uint8Array.of(0x61, 0),
          },
        ],
      }),
    );
    seeds.push(new Builder().u16(0x0504).u16(5).u16(77).u16(1).u8(0).u32(1).u32(0).str32('').bytes());
  });

  it(`random bytes (${RUNS} runs)`, () => {
    fc.assert(fc.property(randomFile([1, 2, 3, 4]), check), { numRuns: RUNS });
  }, 120_000);

  it(`mutated valid caches (${RUNS} runs)`, () => {
    fc.assert(fc.property(mutated(seeds), check), { numRuns: RUNS });
  }, 120_000);

  it('does not allocate for lying lengths and returns quickly', () => {
    const start = performance.now();
    const p = new Builder().u16(0x0504).u16(0).u32(1).u32(0).str32('R');
    for (const lie of [0xffffffff, 0x7fffffff, 0x80000000]) {
      expect(() => readCcache(new Builder().u16(0x0504).u16(0).u32(1).u32(lie).bytes())).toThrow(
        CcacheFormatError,
      );
      // a credential whose ticket length lies
      const b = new Builder().raw(p.bytes());
      b.u32(1).u32(0).str32('R').u32(1).u32(0).str32('R'); // client, server
      b.u16(18).u32(0).raw(new Uint8Array(16)).u8(0).u32(0).u32(0).u32(0).u32(lie);
      expect(() => readCcache(b.bytes())).toThrow(CcacheFormatError);
      const c = new Builder().raw(p.bytes()).u32(1).u32(0).str32('R').u32(1).u32(0).str32('R');
      c.u16(18).u32(0).raw(new Uint8Array(16)).u8(0).u32(0).u32(lie);
      expect(() => readCcache(c.bytes())).toThrow(/address count \d+ cannot fit/);
    }
    expect(performance.now() - start).toBeLessThan(100);
  });
});
