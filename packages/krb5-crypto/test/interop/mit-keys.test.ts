/**
 * Interop: string-to-key made by MIT Kerberos 1.20 itself equals ours.
 *
 * - MIT side, default parameters: ktutil (`addent -password -p P -k N -e ENCTYPE -s SALT`,
 *   the password typed at its prompt, `wkt` to a temp keytab), read back with
 *   `klist -k -K -e`. All offline: no KDC is involved.
 * - MIT side, explicit s2kparams (iteration counts): ktutil cannot pass them, so MIT
 *   libkrb5's krb5_c_string_to_key_with_params is called directly (tooling/interop/mit-s2k.py).
 * - Our side: `stringToKey` from the package source, on every available backend.
 */
import {
  type KeytabEntry,
  ktutilStringToKeys,
  mitStringToKey,
  type PasswordKeyRequest,
  type StringToKeyResult,
} from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, setBackend, stringToKey } from '../../src/index.js';

const TIMEOUT_MS = 120_000;

const ENCTYPES = [
  { id: 17, name: 'aes128-cts-hmac-sha1-96', defaultIterations: 4096 },
  { id: 18, name: 'aes256-cts-hmac-sha1-96', defaultIterations: 4096 },
  { id: 19, name: 'aes128-cts-hmac-sha256-128', defaultIterations: 32768 },
  { id: 20, name: 'aes256-cts-hmac-sha384-192', defaultIterations: 32768 },
] as const;

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** mulberry32: a small deterministic PRNG, so every run uses the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters for generated inputs: printable ASCII (including " ' \ ; # and space), Latin-1,
// Greek, Cyrillic, CJK, and astral-plane emoji (4-byte UTF-8). No control characters:
// ktutil's command line cannot carry them (it drops a tab even inside quotes) and a
// password is one line at a prompt.
const ALPHABET: readonly string[] = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...'äöüßéèêçñøåÆÐÞ¿¡°±µ',
  ...'αβγδεζηθλμπσωΩΣΔ',
  ...'жзийклмнЯЖЩ',
  ...'日本語漢字鍵暗号',
  '🔑',
  '🙂',
  '𝄞',
  '🇩🇪',
];

function randomText(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)] ?? 'x';
  return s;
}

interface Case {
  readonly label: string;
  readonly password: string;
  readonly salt: string;
}

function makeCases(): Case[] {
  const fixed: Case[] = [
    { label: 'RFC 3962 appendix B inputs', password: 'password', salt: 'ATHENA.MIT.EDUraeburn' },
    { label: 'normal MIT salt of alice', password: 'alice-Passw0rd', salt: 'MIT.TESTalice' },
    { label: 'empty salt', password: 'password-with-empty-salt', salt: '' },
    { label: 'empty salt, non-ASCII password', password: 'Pässwörd-日本-🔑', salt: '' },
    { label: 'empty password', password: '', salt: 'EXAMPLE.COMnobody' },
    { label: 'one-byte password and salt', password: 'x', salt: 'y' },
    { label: 'non-ASCII password', password: 'ünïcødé-пароль-密码-🔐', salt: 'EXAMPLE.COMuser' },
    { label: 'non-ASCII salt', password: 'ascii-password', salt: 'RÉALM.ÉXAMPLEjosé-日本' },
    { label: 'emoji in both', password: '🙂🙃🔑', salt: '𝄞🇩🇪' },
    { label: 'spaces, quotes, backslash', password: '  lead and trail  ', salt: ` a"b'c\\d;e#f$g "" ` },
    { label: 'password of 64 bytes (one SHA-1/SHA-256 block)', password: 'p'.repeat(64), salt: 'S64' },
    { label: 'password of 65 bytes (hashed by HMAC)', password: 'q'.repeat(65), salt: 'S65' },
    { label: 'password of 129 bytes (over a SHA-384 block)', password: 'r'.repeat(129), salt: 'S129' },
    {
      label: 'long non-ASCII password (~1000 bytes)',
      password: 'Долгий-пароль-🔑-'.repeat(40),
      salt: 'LONG.PASSWORDprincipal',
    },
    { label: 'long salt (500 bytes)', password: 'short', salt: `REALM.${'s'.repeat(494)}` },
  ];
  const next = prng(0x5eed_2024);
  const generated: Case[] = [];
  for (let i = 0; i < 13; i++) {
    const pwLength = i % 4 === 3 ? 100 + Math.floor(next() * 150) : Math.floor(next() * 40);
    const saltLength =
      i % 5 === 4 ? 0 : i % 3 === 2 ? 150 + Math.floor(next() * 100) : Math.floor(next() * 40);
    generated.push({
      label: `generated #${i}`,
      password: randomText(next, pwLength),
      salt: randomText(next, saltLength),
    });
  }
  return [...fixed, ...generated];
}

const CASES = makeCases();

// Every case on the default (node:crypto) backend; the pure-JS backend is much slower at
// PBKDF2, so it gets the edge cases only.
const FULL_BACKEND = availableBackends().includes('node') ? 'node' : availableBackends()[0];
const EDGE_LABELS = new Set([
  'empty salt',
  'empty password',
  'non-ASCII password',
  'non-ASCII salt',
  'password of 129 bytes (over a SHA-384 block)',
  'long non-ASCII password (~1000 bytes)',
  'long salt (500 bytes)',
]);

describe('MIT ktutil string-to-key equals ours (four AES enctypes)', () => {
  const requests: PasswordKeyRequest[] = CASES.flatMap((c) =>
    ENCTYPES.map((e) => ({ enctype: e.name, password: c.password, salt: c.salt })),
  );
  let mitKeys: KeytabEntry[] = [];

  beforeAll(async () => {
    mitKeys = await ktutilStringToKeys(requests);
  }, TIMEOUT_MS);

  it('covers enough varied inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    expect(CASES.some((c) => c.salt === '')).toBe(true);
    expect(CASES.some((c) => utf8Length(c.password) > c.password.length)).toBe(true); // non-ASCII
    expect(CASES.some((c) => utf8Length(c.salt) > c.salt.length)).toBe(true);
    expect(CASES.some((c) => utf8Length(c.password) >= 1000)).toBe(true);
    expect(CASES.some((c) => utf8Length(c.salt) >= 500)).toBe(true);
    expect(mitKeys).toHaveLength(requests.length);
  });

  describe.each(availableBackends())('backend %s', (backend) => {
    beforeAll(() => setBackend(backend));
    afterAll(() => setBackend('auto'));

    it.each(ENCTYPES.map((e, index) => ({ ...e, index })))(
      '$name ($id) for every password and salt',
      async ({ id, name, index }) => {
        const mismatches: string[] = [];
        for (const [i, c] of CASES.entries()) {
          if (backend !== FULL_BACKEND && !EDGE_LABELS.has(c.label)) continue;
          const mit = mitKeys[i * ENCTYPES.length + index];
          expect(mit?.enctype).toBe(name);
          const ours = await stringToKey(id, c.password, c.salt);
          expect(ours.enctype).toBe(id);
          if (toHex(ours.bytes) !== toHex(mit?.key ?? new Uint8Array())) {
            mismatches.push(
              `${c.label}: password ${JSON.stringify(c.password)} salt ${JSON.stringify(c.salt)}: ` +
                `MIT ${toHex(mit?.key ?? new Uint8Array())} ours ${toHex(ours.bytes)}`,
            );
          }
        }
        expect(mismatches).toEqual([]);
      },
      TIMEOUT_MS,
    );
  });

  it('Uint8Array inputs (UTF-8 bytes) give MIT’s keys too', async () => {
    const i = CASES.findIndex((x) => x.label === 'non-ASCII password');
    const c = CASES[i];
    if (c === undefined) throw new Error('case missing');
    for (const [index, e] of ENCTYPES.entries()) {
      const ours = await stringToKey(e.id, Buffer.from(c.password, 'utf8'), Buffer.from(c.salt, 'utf8'));
      expect(toHex(ours.bytes)).toBe(toHex(mitKeys[i * ENCTYPES.length + index]?.key ?? new Uint8Array()));
    }
  });
});

describe('MIT libkrb5 string-to-key with s2kparams (iteration counts) equals ours', () => {
  const be32 = (n: number): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, false);
    return b;
  };
  const password = 'iter-Pässwörd-🔑';
  const salt = 'ITER.TESTprincipal';
  const counts: Record<number, readonly number[]> = {
    17: [4096, 4097, 5000, 20000],
    18: [4096, 4097, 5000, 20000],
    19: [32768, 32769, 40000, 65536],
    20: [32768, 32769, 40000, 65536],
  };
  const requests = ENCTYPES.flatMap((e) =>
    (counts[e.id] ?? []).map((n) => ({ enctype: e.id, password, salt, params: be32(n), iterations: n })),
  );
  let mit: StringToKeyResult[] = [];
  let mitDefault: StringToKeyResult[] = [];
  let ktutilDefault: KeytabEntry[] = [];

  beforeAll(async () => {
    [mit, mitDefault, ktutilDefault] = await Promise.all([
      mitStringToKey(requests),
      mitStringToKey(ENCTYPES.map((e) => ({ enctype: e.id, password, salt }))),
      ktutilStringToKeys(ENCTYPES.map((e) => ({ enctype: e.name, password, salt }))),
    ]);
  }, TIMEOUT_MS);

  it('the libkrb5 path gives the same default keys as ktutil (it is MIT’s string-to-key)', () => {
    expect(mitDefault.map((r) => (r.ok ? toHex(r.key) : r.error))).toEqual(
      ktutilDefault.map((k) => toHex(k.key)),
    );
  });

  describe.each(availableBackends())('backend %s', (backend) => {
    beforeAll(() => setBackend(backend));
    afterAll(() => setBackend('auto'));

    it(
      'explicit iteration counts (the default and above it)',
      async () => {
        for (const [i, r] of requests.entries()) {
          if (backend !== FULL_BACKEND && r.iterations !== 4097 && r.iterations !== 32769) continue;
          const m = mit[i];
          if (m === undefined || !m.ok)
            throw new Error(`MIT failed for ${r.enctype}/${r.iterations}: ${JSON.stringify(m)}`);
          const ours = await stringToKey(r.enctype, r.password, r.salt, r.params);
          expect(toHex(ours.bytes), `enctype ${r.enctype}, ${r.iterations} iterations`).toBe(toHex(m.key));
        }
        // the default count written out equals no s2kparams
        for (const e of ENCTYPES) {
          const implicit = await stringToKey(e.id, password, salt);
          const explicit = await stringToKey(e.id, password, salt, be32(e.defaultIterations));
          expect(toHex(explicit.bytes)).toBe(toHex(implicit.bytes));
        }
      },
      TIMEOUT_MS,
    );
  });

  it('both refuse the same bad s2kparams (below the default, 0 = 2^32, 2^24 and more, empty, not 4 bytes)', async () => {
    const bad = ENCTYPES.flatMap((e) =>
      [
        be32(e.defaultIterations - 1),
        be32(1),
        be32(0),
        be32(0x1000000),
        new Uint8Array([0, 0, 0x10, 0, 0]),
        new Uint8Array(0),
      ].map((params) => ({ enctype: e.id, password, salt, params })),
    );
    const results = await mitStringToKey(bad);
    for (const [i, r] of bad.entries()) {
      const m = results[i];
      expect(m?.ok === false ? m.error : 'MIT accepted it').toBe(
        'Invalid key generation parameters from KDC',
      );
      await expect(stringToKey(r.enctype, r.password, r.salt, r.params)).rejects.toThrow(/s2kparams/);
    }
  });
});
