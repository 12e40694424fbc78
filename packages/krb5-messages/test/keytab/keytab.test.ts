import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  EncodeError,
  findKey,
  KEYTAB_VERSION,
  type KeytabEntry,
  KeytabFormatError,
  loadKeytab,
  parsePrincipal,
  readKeytab,
  saveKeytab,
  writeKeytab,
} from '../../src/index.js';
import { Builder, hex, thrown, toHex } from './build.js';

const fixture = async (name: string): Promise<Uint8Array> =>
  new Uint8Array(await readFile(new URL(`./fixtures/${name}`, import.meta.url)));

const entry = (
  text: string,
  kvno: number,
  enctype: number,
  key: string,
  ts = 1_700_000_000,
): KeytabEntry => ({
  principal: parsePrincipal(text),
  timestamp: new Date(ts * 1000),
  kvno,
  key: { enctype, bytes: hex(key) },
});

/** One 0x0502 record for alice@MIT.TEST, with `tail` after the key (kvno32, padding). */
function v2Record(tail: number[] = [], kvno8 = 3): Uint8Array {
  const body = new Builder()
    .u16(1)
    .str16('MIT.TEST')
    .str16('alice')
    .u32(1)
    .u32(1_700_000_000)
    .u8(kvno8)
    .u16(17)
    .u16(16)
    .raw(new Uint8Array(16).fill(0xab))
    .raw(tail)
    .bytes();
  return new Builder().u32(body.length).raw(body).bytes();
}

const keytab = (...records: Uint8Array[]): Uint8Array =>
  new Builder()
    .u16(0x0502)
    .raw(records.flatMap((r) => Array.from(r)))
    .bytes();

describe('readKeytab on MIT-written files', () => {
  it('reads alice.keytab (kadmin ktadd) and writes it back byte for byte', async () => {
    const bytes = await fixture('mit-alice.keytab');
    const entries = readKeytab(bytes);
    expect(entries.map((e) => [e.principal, e.kvno, e.key.enctype, e.key.bytes.length])).toEqual([
      [{ realm: 'MIT.TEST', name: { nameType: 1, nameString: ['alice'] } }, 1, 18, 32],
      [{ realm: 'MIT.TEST', name: { nameType: 1, nameString: ['alice'] } }, 1, 17, 16],
      [{ realm: 'MIT.TEST', name: { nameType: 1, nameString: ['alice'] } }, 1, 20, 32],
      [{ realm: 'MIT.TEST', name: { nameType: 1, nameString: ['alice'] } }, 1, 19, 16],
    ]);
    // klist -k -K -e printed (0x7131a826...) for the aes256-cts-hmac-sha1-96 key
    expect(toHex(entries[0]!.key.bytes)).toBe(
      '7131a826437d2257f85504bb1f76a7123e8fb02238ba04cf0e8c0dbc15615b0e',
    );
    expect(entries[0]!.timestamp.getTime() % 1000).toBe(0);
    expect(entries[0]!.key.bytes).toBeInstanceOf(Uint8Array);
    expect(toHex(writeKeytab(entries))).toBe(toHex(bytes));
  });

  it('reads service.keytab (18 keys, 5 principals) and writes it back byte for byte', async () => {
    const bytes = await fixture('mit-service.keytab');
    const entries = readKeytab(bytes);
    expect(entries).toHaveLength(18);
    expect(new Set(entries.map((e) => e.principal.name.nameString.join('/')))).toEqual(
      new Set([
        'host/localhost',
        'host/samba.mit.test',
        'cifs/localhost',
        'cifs/samba.mit.test',
        'sha2svc/localhost',
      ]),
    );
    expect(toHex(writeKeytab(entries))).toBe(toHex(bytes));
    // A Buffer input gives plain Uint8Array keys that do not alias the input
    const fromBuffer = readKeytab(Buffer.from(bytes));
    expect(fromBuffer[0]!.key.bytes.constructor).toBe(Uint8Array);
  });
});

describe('record framing', () => {
  it('uses the 32-bit kvno when present and nonzero, else the 8-bit one', () => {
    expect(readKeytab(keytab(v2Record()))[0]!.kvno).toBe(3);
    expect(readKeytab(keytab(v2Record([0, 0, 0, 0])))[0]!.kvno).toBe(3);
    expect(readKeytab(keytab(v2Record([0, 0, 1, 3])))[0]!.kvno).toBe(259);
    // fewer than 4 bytes left: padding, not a kvno
    expect(readKeytab(keytab(v2Record([0, 0, 1])))[0]!.kvno).toBe(3);
    // more than 4 bytes: kvno then padding up to the record length
    expect(readKeytab(keytab(v2Record([0, 0, 0, 9, 0, 0, 0, 0, 0])))[0]!.kvno).toBe(9);
  });

  it('skips holes and stops at a zero length', () => {
    const hole = new Builder().u32(-12).raw(new Uint8Array(12)).bytes();
    const end = new Builder().u32(0).raw([1, 2, 3, 4, 5]).bytes();
    const entries = readKeytab(keytab(hole, v2Record(), hole, v2Record([0, 0, 0, 7]), end, v2Record()));
    expect(entries.map((e) => e.kvno)).toEqual([3, 7]);
    expect(readKeytab(hex('0502'))).toEqual([]);
  });

  it('writes 32-bit kvnos and their low byte', () => {
    const e = entry('svc/h@R', 0x1_0203, 18, '00'.repeat(32));
    const bytes = writeKeytab([e]);
    const back = readKeytab(bytes);
    expect(back[0]!.kvno).toBe(0x1_0203);
    // ... 8-bit kvno 0x03, enctype 0x0012, length 0x0020, key, kvno32 0x00010203
    expect(toHex(bytes)).toContain(`0300120020${'00'.repeat(32)}00010203`);
    expect(back).toEqual([e]);
  });

  it('reads version 0x0501 in either byte order (realm counted, no name type)', () => {
    for (const little of [true, false]) {
      const body = new Builder(little)
        .u16(3) // realm + 2 components
        .str16('R.TEST')
        .str16('host')
        .str16('h.example')
        .u32(1_700_000_000)
        .u8(4)
        .u16(18)
        .u16(2)
        .raw([0xca, 0xfe])
        .bytes();
      const file = new Builder(little).raw([5, 1]).u32(body.length).raw(body).bytes();
      const [e] = readKeytab(file, { byteOrder: little ? 'little' : 'big' });
      expect(e).toEqual({
        principal: { realm: 'R.TEST', name: { nameType: 0, nameString: ['host', 'h.example'] } },
        timestamp: new Date(1_700_000_000_000),
        kvno: 4,
        key: { enctype: 18, bytes: Uint8Array.of(0xca, 0xfe) },
      });
    }
  });

  it('keeps negative enctypes and name types', () => {
    const e = entry('a@R', 1, -133, '01');
    e.principal.name.nameType = -128;
    expect(readKeytab(writeKeytab([e]))).toEqual([e]);
  });
});

describe('malformed keytabs', () => {
  const bad = (bytes: Uint8Array): KeytabFormatError => {
    const e = thrown(() => readKeytab(bytes));
    expect(e).toBeInstanceOf(KeytabFormatError);
    expect(e).toBeInstanceOf(DecodeError);
    return e as KeytabFormatError;
  };
  const good = keytab(v2Record());

  it('rejects a wrong start', () => {
    expect(bad(hex('')).message).toContain('too short');
    expect(bad(hex('0402')).offset).toBe(0);
    expect(bad(hex('0503')).message).toContain('unsupported version 0x0503');
  });

  it('rejects truncation anywhere with the offset', () => {
    for (let n = 3; n < good.length; n++) {
      const e = bad(good.subarray(0, n));
      expect(e.offset).toBeLessThanOrEqual(n);
      expect(e.path.startsWith('keytab')).toBe(true);
    }
  });

  it('rejects lengths that do not fit, without allocating them', () => {
    expect(bad(hex('0502 7fffffff 00')).message).toContain('record of 2147483647 bytes, 1 left');
    expect(bad(hex('0502 80000000')).message).toContain('-2^31');
    expect(bad(hex('0502 fffffff0 00')).message).toContain('hole of 16 bytes');
    // key length 0x7fff inside a 40-byte record
    const r = v2Record().slice();
    r[4 + 2 + 10 + 7 + 4 + 4 + 1 + 2] = 0x7f;
    r[4 + 2 + 10 + 7 + 4 + 4 + 1 + 3] = 0xff;
    const e = bad(keytab(r));
    expect(e.message).toContain('key: needs 32767 bytes');
    expect(e.path).toBe('keytab[0]');
  });

  it('rejects zero and negative counts and lengths, as MIT does', () => {
    const zeroCount = keytab(new Builder().u32(8).u16(0).raw(new Uint8Array(6)).bytes());
    expect(bad(zeroCount).message).toContain('0 name components');
    const emptyRealm = keytab(new Builder().u32(8).u16(1).u16(0).raw(new Uint8Array(4)).bytes());
    expect(bad(emptyRealm).message).toContain('realm length is 0');
    const negative = keytab(new Builder().u32(8).u16(1).u16(0x8001).raw(new Uint8Array(4)).bytes());
    expect(bad(negative).message).toContain('realm length is -32767');
  });

  it('rejects invalid UTF-8 in a name', () => {
    const body = new Builder().u16(1).str16('R').u16(2).raw([0xc3, 0x28]).bytes();
    expect(bad(keytab(new Builder().u32(body.length).raw(body).bytes())).message).toContain(
      'not valid UTF-8',
    );
  });
});

describe('writeKeytab', () => {
  it('starts with 0x0502', () => {
    expect(KEYTAB_VERSION).toBe(0x0502);
    expect(toHex(writeKeytab([]))).toBe('0502');
  });

  it.each([
    ['an empty component', () => entry('a//b@R', 1, 18, '00')],
    ['an empty realm', () => entry('a@', 1, 18, '00')],
    ['a kvno beyond 32 bits', () => entry('a@R', 2 ** 32, 18, '00')],
    ['a negative kvno', () => entry('a@R', -1, 18, '00')],
    ['an empty key', () => entry('a@R', 1, 18, '')],
    ['an enctype beyond 16 bits', () => entry('a@R', 1, 0x8000, '00')],
    ['a timestamp before 1970', () => ({ ...entry('a@R', 1, 18, '00'), timestamp: new Date(-1000) })],
    [
      'a lone surrogate',
      () => ({
        ...entry('a@R', 1, 18, '00'),
        principal: { realm: 'R', name: { nameType: 1, nameString: ['a\uD800'] } },
      }),
    ],
  ])('refuses %s with an EncodeError', (_what, make) => {
    expect(thrown(() => writeKeytab([make()]))).toBeInstanceOf(EncodeError);
  });
});

describe('findKey', () => {
  const entries = [
    entry('host/h@R', 1, 18, '01'),
    entry('host/h@R', 3, 17, '02'),
    entry('host/h@R', 3, 18, '03'),
    entry('host/h@R', 2, 18, '04'),
    entry('host/other@R', 9, 18, '05'),
  ];
  const host = parsePrincipal('host/h@R', { nameType: 3 });

  it('takes the highest kvno unless told, then the enctype, ignoring the name type', () => {
    expect(toHex(findKey(entries, host)!.key.bytes)).toBe('02');
    expect(toHex(findKey(entries, host, { enctype: 18 })!.key.bytes)).toBe('03');
    expect(toHex(findKey(entries, host, { kvno: 2 })!.key.bytes)).toBe('04');
    expect(findKey(entries, host, { kvno: 2, enctype: 17 })).toBeUndefined();
    expect(findKey(entries, parsePrincipal('host/h@S'))).toBeUndefined();
  });
});

describe('loadKeytab / saveKeytab', () => {
  it('writes atomically with mode 0600 and reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'postntlm-kt-'));
    try {
      const path = join(dir, 'x.keytab');
      await writeFile(path, 'old', { mode: 0o644 });
      const entries = [entry('a@R', 5, 18, 'aa'.repeat(32))];
      await saveKeytab(path, entries);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await loadKeytab(path)).toEqual(entries);
      await expect(saveKeytab(join(dir, 'missing', 'x'), entries)).rejects.toThrow(/ENOENT/);
      await expect(loadKeytab(join(dir, 'nope'))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runtime independence', () => {
  it('the file functions say they need Node when process.getBuiltinModule is missing', async () => {
    const original = process.getBuiltinModule;
    Reflect.set(process, 'getBuiltinModule', undefined);
    try {
      await expect(loadKeytab('/nonexistent')).rejects.toThrow(/needs Node\.js/);
      await expect(saveKeytab('/nonexistent', [])).rejects.toThrow(/needs Node\.js/);
    } finally {
      Reflect.set(process, 'getBuiltinModule', original);
    }
  });

  it('no module of principal/, keytab/ or ccache/ imports a Node module at run time', async () => {
    for (const file of [
      'principal/principal.ts',
      'keytab/binary.ts',
      'keytab/keytab.ts',
      'keytab/fs.ts',
      'keytab/node-io.ts',
      'ccache/ccache.ts',
      'ccache/fs.ts',
    ]) {
      const source = await readFile(new URL(`../../src/${file}`, import.meta.url), 'utf8');
      const runtimeImports = [...source.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]);
      for (const spec of runtimeImports) expect(spec, file).not.toMatch(/^(node:|fs|path|os)/);
    }
  });
});
