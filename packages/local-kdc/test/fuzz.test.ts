/**
 * Fuzzing the engine (issue 4, "done when" 8): random bytes, random structurally valid
 * AS/TGS-REQs and byte-level mutations of real ones. Every answer is `null` (dropped) or
 * a decodable Kerberos message (KRB-ERROR, or a reply when the mutation left the request
 * valid); `handle` never rejects and no unexpected failure reaches `onInternalError`.
 */
import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  fixedClock,
  runExchange,
  seededRandom,
} from '@postntlm/krb5-client';
import { AsReq, decodeMessage, encode, type KdcReqBody, NameType, TgsReq } from '@postntlm/krb5-messages';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKdc, type Kdc } from '../src/index.js';
import { buildStore, PASSWORDS, REALM, sender, T0 } from './helpers.js';

let kdc: Kdc;
const internal: unknown[] = [];
const seeds: Uint8Array[] = [];
let tgt: Credential;

beforeAll(async () => {
  const store = await buildStore();
  kdc = createKdc({
    realm: REALM,
    store,
    clock: fixedClock(T0),
    random: seededRandom(5),
    onInternalError: (e) => internal.push(e),
  });
  // Real requests to mutate: the AS-REQ without and with PA-ENC-TIMESTAMP, and a TGS-REQ.
  const as = createAsExchange({
    client: `alice@${REALM}`,
    credentials: { password: PASSWORDS.alice },
    options: { renewable: true, forwardable: true },
    clock: fixedClock(T0),
    random: seededRandom(1),
  });
  tgt = await runExchange(as, sender(kdc));
  const tgs = createTgsExchange({
    tgt,
    server: 'cifs/host.test',
    clock: fixedClock(T0),
    random: seededRandom(2),
  });
  await runExchange(tgs, sender(kdc));
  for (const m of [...as.messages, ...tgs.messages]) if (m.direction === 'sent') seeds.push(m.bytes);
});

async function check(bytes: Uint8Array, transport: 'udp' | 'tcp' = 'tcp'): Promise<void> {
  const reply = await kdc.handle(bytes, { transport });
  if (reply !== null) {
    const m = decodeMessage(reply);
    expect([11, 13, 30]).toContain(m.msgType);
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(seed: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let out = seed.slice();
  for (const m of ms) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    switch (m.kind) {
      case 'flip':
        out[at] = (out[at] ?? 0) ^ (1 << m.bit);
        break;
      case 'set':
        out[at] = m.value;
        break;
      case 'cut':
        out = out.slice(0, at);
        break;
      case 'insert': {
        const next = new Uint8Array(out.length + m.bytes.length);
        next.set(out.subarray(0, at));
        next.set(m.bytes, at);
        next.set(out.subarray(at), at + m.bytes.length);
        out = next;
        break;
      }
      case 'delete':
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + m.length)]);
        break;
    }
  }
  return out;
}

const name = fc.record({
  nameType: fc.constantFrom(NameType.NT_PRINCIPAL, NameType.NT_SRV_INST, NameType.NT_SRV_HST, 10, -128),
  nameString: fc.array(
    fc.oneof(
      fc.constantFrom('alice', 'krbtgt', REALM, 'cifs', 'host.test', 'carol', 'nopre'),
      fc.string({ maxLength: 12 }),
    ),
    { minLength: 0, maxLength: 3 },
  ),
});
const time = fc.integer({ min: 0, max: 4102444800 }).map((s) => new Date(s * 1000));
const body: fc.Arbitrary<KdcReqBody> = fc.record(
  {
    kdcOptions: fc.integer({ min: 0, max: 0xffffffff }),
    cname: name,
    realm: fc.oneof(fc.constant(REALM), fc.string({ maxLength: 20 })),
    sname: name,
    from: time,
    till: time,
    rtime: time,
    nonce: fc.integer({ min: 0, max: 0xffffffff }),
    etype: fc.array(
      fc.oneof(fc.constantFrom(17, 18, 19, 20, 23, 3), fc.integer({ min: -0x80000000, max: 0x7fffffff })),
      {
        maxLength: 6,
      },
    ),
  },
  { requiredKeys: ['kdcOptions', 'realm', 'till', 'nonce', 'etype'] },
);
const padata = fc.array(
  fc.record({
    padataType: fc.oneof(
      fc.constantFrom(1, 2, 3, 11, 19, 128, 133, 136, 149),
      fc.integer({ min: -1000, max: 1000 }),
    ),
    padataValue: fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.constant(new Uint8Array(0)),
      fc.constantFrom(...[0, 1, 2].map((i) => i)).map((i) => seeds[i] ?? new Uint8Array(0)),
    ),
  }),
  { maxLength: 3 },
);

describe('fuzzing the KDC engine (fast-check)', () => {
  it('random bytes (2 500 cases), also behind a KDC-REQ tag', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(undefined, 0x6a, 0x6c),
        fc.constantFrom('udp' as const, 'tcp' as const),
        async (bytes, tag, transport) => {
          const input =
            tag === undefined || bytes.length > 127 ? bytes : Uint8Array.from([tag, bytes.length, ...bytes]);
          await check(input, transport);
        },
      ),
      { numRuns: 2500 },
    );
    expect(internal).toEqual([]);
  });

  it('random structurally valid AS-REQs and TGS-REQs (2 500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), body, padata, async (isAs, b, pa) => {
        const value = { pvno: 5, padata: pa, reqBody: { value: b } };
        const bytes = isAs
          ? encode(AsReq, { ...value, msgType: 10 })
          : encode(TgsReq, { ...value, msgType: 12 });
        await check(bytes);
      }),
      { numRuns: 2500 },
    );
    expect(internal).toEqual([]);
  });

  it('mutated real AS-REQs and TGS-REQs (6 000 cases)', async () => {
    expect(seeds.length).toBe(3);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (i, ms) => {
          await check(mutate(seeds[i] ?? new Uint8Array(0), ms));
        },
      ),
      { numRuns: 6000 },
    );
    expect(internal).toEqual([]);
  });
});
