/**
 * In-process end to end: our client against our server (its source) and the Local KDC.
 * Kerberos with a route to the KDC, IAKerb through the server when the client has none, the
 * file API at each dialect, encryption, and the typed errors.
 */
import { parseProfile, readKrb5Config } from '@postntlm/krb5-client';
import { Dialect, NtStatus } from '@postntlm/smb2-protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SmbClient, type SmbClientOptions, SmbError } from '../src/index.js';
import { ALICE_PASSWORD, type OurServer, startOurServer } from './support/our-server.js';
import { checkWatch } from './support/watch-check.js';

let s: OurServer;

beforeAll(async () => {
  s = await startOurServer();
}, 30_000);
afterAll(async () => {
  await s?.close();
});

function options(extra: Partial<SmbClientOptions> = {}): SmbClientOptions {
  return {
    host: '127.0.0.1',
    port: s.port,
    serverName: 'files.test',
    auth: {
      user: `alice@${s.realm}`,
      password: ALICE_PASSWORD,
      kdcSend: s.kdcSend,
      krb5Config: s.krb5Config,
    },
    ...extra,
  };
}

describe('our client against our server', () => {
  it.each([
    ['2.0.2', Dialect.SMB_2_0_2],
    ['2.1', Dialect.SMB_2_1],
    ['3.0', Dialect.SMB_3_0],
    ['3.0.2', Dialect.SMB_3_0_2],
    ['3.1.1', Dialect.SMB_3_1_1],
  ])('Kerberos at %s, signed: write, list, read, mkdir, rename, delete', async (name, dialect) => {
    const client = await SmbClient.connect(options({ dialects: [dialect] }));
    try {
      expect(client.dialect).toBe(dialect);
      expect(client.user).toBe(`alice@${s.realm}`);
      const tree = await client.tree('share');
      const dir = `d-${name}`;
      await tree.mkdir(dir);
      await tree.writeFile(`${dir}/a.txt`, 'hello');
      expect(new TextDecoder().decode(await tree.readFile(`${dir}/a.txt`))).toBe('hello');
      expect((await tree.readdir(dir)).map((e) => e.name)).toEqual(['a.txt']);
      await tree.rename(`${dir}/a.txt`, `${dir}/b.txt`);
      expect(await tree.exists(`${dir}/a.txt`)).toBe(false);
      expect((await tree.stat(`${dir}/b.txt`)).size).toBe(5);
      await tree.rm(dir, { recursive: true });
      expect(await tree.exists(dir)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('a large file round-trips with multi-credit pipelined I/O', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      const data = new Uint8Array(5 * 1024 * 1024 + 12345);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
      await tree.writeFile('big.bin', data, { chunkSize: 1024 * 1024, depth: 4 });
      const back = await tree.readFile('big.bin');
      expect(back.length).toBe(data.length);
      expect(Buffer.compare(back, data)).toBe(0);
      const h = await tree.open('big.bin', 'r+');
      await h.write(Uint8Array.of(1, 2, 3), 10);
      expect([...(await h.read(9, 5))]).toEqual([data[9], 1, 2, 3, data[13]]);
      await h.truncate(100);
      expect((await h.stat()).size).toBe(100);
      await h.close();
      await tree.rm('big.bin');
    } finally {
      await client.close();
    }
  });

  it('the encrypted share is encrypted (3.1.1 and 3.0)', async () => {
    for (const dialect of [Dialect.SMB_3_1_1, Dialect.SMB_3_0]) {
      const client = await SmbClient.connect(options({ dialects: [dialect] }));
      try {
        const tree = await client.tree('enc');
        expect(tree.encrypted).toBe(true);
        await tree.writeFile('secret.txt', 'psst');
        expect(new TextDecoder().decode(await tree.readFile('secret.txt'))).toBe('psst');
        await tree.rm('secret.txt');
      } finally {
        await client.close();
      }
    }
  });

  it('protection "encrypt" encrypts the whole session', async () => {
    const client = await SmbClient.connect(options({ protection: 'encrypt' }));
    try {
      const tree = await client.tree('share');
      expect(tree.encrypted).toBe(true);
      expect(await tree.readdir('')).toBeInstanceOf(Array);
    } finally {
      await client.close();
    }
  });

  it('IAKerb through the server when the client has no route to a KDC', async () => {
    const client = await SmbClient.connect(
      options({
        auth: {
          user: `alice@${s.realm}`,
          password: ALICE_PASSWORD,
          kdcSend: s.noKdc,
          krb5Config: s.krb5Config,
        },
      }),
    );
    try {
      expect(client.user).toBe(`alice@${s.realm}`);
      const tree = await client.tree('share');
      await tree.writeFile('via-iakerb.txt', 'x');
      expect(await tree.exists('via-iakerb.txt')).toBe(true);
      await tree.rm('via-iakerb.txt');
    } finally {
      await client.close();
    }
  });

  it('IAKerb when krb5.conf names a KDC that does not answer (the real KDC transport)', async () => {
    const unreachable = readKrb5Config(
      parseProfile(
        `[libdefaults]\n default_realm = ${s.realm}\n dns_lookup_kdc = false\n[realms]\n ${s.realm} = {\n  kdc = tcp/127.0.0.1:1\n }\n`,
      ),
    );
    const started = Date.now();
    const client = await SmbClient.connect(
      options({ auth: { user: `alice@${s.realm}`, password: ALICE_PASSWORD, krb5Config: unreachable } }),
    );
    try {
      expect(client.user).toBe(`alice@${s.realm}`);
      expect((await client.tree('share')).share).toBe('share');
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await client.close();
    }
  });

  it('a missing file is SmbError STATUS_OBJECT_NAME_NOT_FOUND', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      const e = await tree.readFile('nope.txt').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SmbError);
      expect((e as SmbError).code).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
      expect((e as SmbError).status).toBe(NtStatus.OBJECT_NAME_NOT_FOUND);
      const bad = await client.tree('nosuchshare').catch((x: unknown) => x);
      expect((bad as SmbError).code).toBe('STATUS_BAD_NETWORK_NAME');
    } finally {
      await client.close();
    }
  });

  it('access denied is SmbError STATUS_ACCESS_DENIED: a share not allowed, a write to a read-only share', async () => {
    const client = await SmbClient.connect(options());
    try {
      const refused = await client.tree('bobonly').catch((x: unknown) => x);
      expect(refused).toBeInstanceOf(SmbError);
      expect((refused as SmbError).code).toBe('STATUS_ACCESS_DENIED');
      const ro = await client.tree('ro');
      await (await client.tree('share')).writeFile('ro-visible.txt', 'readable');
      expect(new TextDecoder().decode(await ro.readFile('ro-visible.txt'))).toBe('readable');
      const denied = await ro.writeFile('ro-new.txt', 'x').catch((x: unknown) => x);
      expect(denied).toBeInstanceOf(SmbError);
      expect((denied as SmbError).code).toBe('STATUS_ACCESS_DENIED');
      expect(await ro.exists('ro-new.txt')).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('listShares', () => {
  it('lists our server’s shares over srvsvc', async () => {
    const client = await SmbClient.connect(options());
    try {
      const shares = await client.listShares();
      expect(shares.map((x) => x.name).sort()).toEqual(['IPC$', 'bobonly', 'enc', 'ro', 'share']);
      expect(shares.find((x) => x.name === 'IPC$')).toMatchObject({ type: 'ipc', special: true });
      expect(shares.find((x) => x.name === 'share')).toMatchObject({ type: 'disk', special: false });
    } finally {
      await client.close();
    }
  });
});

describe('watch', () => {
  it('reports a new file and stops on abort', async () => {
    const client = await SmbClient.connect(options());
    try {
      await checkWatch(client, 'share');
    } finally {
      await client.close();
    }
  });
});

describe('re-authentication', () => {
  it('a session whose ticket ended is re-authenticated and the request goes through', async () => {
    const client = await SmbClient.connect(
      options({
        auth: {
          user: `alice@${s.realm}`,
          password: ALICE_PASSWORD,
          kdcSend: s.kdcSend,
          krb5Config: s.krb5Config,
          ticketLifetimeSeconds: 2,
        },
      }),
    );
    try {
      const tree = await client.tree('share');
      await tree.writeFile('reauth.txt', 'before');
      const reauth = vi.spyOn(client, 'reauthenticate');
      await new Promise((r) => setTimeout(r, 2500));
      // The server answers STATUS_NETWORK_SESSION_EXPIRED; the client re-authenticates and retries.
      expect(new TextDecoder().decode(await tree.readFile('reauth.txt'))).toBe('before');
      expect(reauth).toHaveBeenCalledTimes(1);
      await tree.rm('reauth.txt');
    } finally {
      await client.close();
    }
  });
});

describe('reconnection', () => {
  it('idempotent operations connect again after the connection dropped; trees keep working', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      await tree.writeFile('again.txt', 'one');
      const first = client.connection;
      first.close();
      expect(new TextDecoder().decode(await tree.readFile('again.txt'))).toBe('one');
      expect(client.connection).not.toBe(first);
      expect(client.connection.closed).toBe(false);
      await tree.writeFile('again.txt', 'two');
      expect((await tree.stat('again.txt')).size).toBe(3);
      await tree.rm('again.txt');
    } finally {
      await client.close();
    }
  });

  it('with reconnect: false the error surfaces', async () => {
    const client = await SmbClient.connect(options({ reconnect: false }));
    try {
      const tree = await client.tree('share');
      client.connection.close();
      await expect(tree.readdir('')).rejects.toMatchObject({ name: 'SmbConnectionError' });
    } finally {
      await client.close();
    }
  });
});

describe('streams', () => {
  it('createWriteStream then createReadStream (whole and a range)', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      const data = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => (i * 31) & 0xff);
      const out = tree.createWriteStream('stream.bin');
      for (let at = 0; at < data.length; at += 700_000) out.write(data.subarray(at, at + 700_000));
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      const read = async (o: { start?: number; end?: number }): Promise<Buffer> => {
        const parts: Buffer[] = [];
        for await (const c of tree.createReadStream('stream.bin', { ...o, chunkSize: 256 * 1024 }))
          parts.push(Buffer.from(c as Uint8Array));
        return Buffer.concat(parts);
      };
      expect(Buffer.compare(await read({}), data)).toBe(0);
      expect(
        Buffer.compare(await read({ start: 1000, end: 1_500_000 }), data.subarray(1000, 1_500_001)),
      ).toBe(0);
      await tree.rm('stream.bin');
    } finally {
      await client.close();
    }
  });
});

describe('lent chunks and reused buffers (readChunks, writeFrom)', () => {
  const pattern = (n: number, seed: number): Uint8Array => {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = (i * 131 + seed + (i >> 20)) & 0xff;
    return data;
  };
  /** A source over memory, as a local file's read would be. */
  const sourceOf =
    (data: Uint8Array) =>
    async (buffer: Uint8Array, at: number): Promise<number> => {
      const part = data.subarray(at, at + buffer.length);
      buffer.set(part);
      return part.length;
    };

  it.each([
    ['signed', 'sign' as const, true],
    ['encrypted (AES-GCM on the worker thread)', 'encrypt' as const, true],
    ['encrypted (gcmWorker: false)', 'encrypt' as const, false],
  ])(
    '%s: writeFrom then readChunks round-trip 9 MiB + 17 in 2 MiB chunks, whole and a range',
    async (_, protection, gcmWorker) => {
      const client = await SmbClient.connect(options({ protection, gcmWorker }));
      try {
        const tree = await client.tree('share');
        const data = pattern(9 * 1024 * 1024 + 17, protection.length);
        const h = await tree.open(`chunks-${protection}-${gcmWorker}.bin`, 'w');
        expect(await h.writeFrom(sourceOf(data), { chunkSize: 2 << 20, depth: 3 })).toBe(data.length);
        // The source's bytes are untouched by the in-place encryption (it was our buffer).
        expect(data[5]).toBe((5 * 131 + protection.length) & 0xff);
        const whole: Buffer[] = [];
        // Copies: a lent chunk is only valid until the next one is taken.
        for await (const c of h.readChunks({ chunkSize: 2 << 20, depth: 3 })) whole.push(Buffer.from(c));
        expect(whole.length).toBe(5);
        expect(Buffer.compare(Buffer.concat(whole), data)).toBe(0);
        const range: Buffer[] = [];
        for await (const c of h.readChunks({ start: 3_000_000, end: 7_000_000, chunkSize: 1 << 20 }))
          range.push(Buffer.from(c));
        expect(Buffer.compare(Buffer.concat(range), data.subarray(3_000_000, 7_000_001))).toBe(0);
        await h.close();
        await tree.rm(`chunks-${protection}-${gcmWorker}.bin`);
      } finally {
        await client.close();
      }
    },
  );

  it('writeFrom: start, sourceStart and length; a source that fails rejects with its error', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      const data = pattern(3 * 1024 * 1024, 9);
      const h = await tree.open('from.bin', 'w');
      const n = await h.writeFrom(sourceOf(data), {
        start: 100,
        sourceStart: 1000,
        length: 2_500_000,
        chunkSize: 1 << 20,
      });
      expect(n).toBe(2_500_000);
      const back = await h.read(0, 3 * 1024 * 1024);
      expect(back.length).toBe(2_500_100);
      expect(Buffer.compare(back.subarray(100), data.subarray(1000, 2_501_000))).toBe(0);
      const boom = new Error('disk on fire');
      await expect(
        h.writeFrom(
          async (b, at) => {
            if (at >= 1 << 20) throw boom;
            b.fill(1);
            return b.length;
          },
          { chunkSize: 1 << 20 },
        ),
      ).rejects.toBe(boom);
      await expect(h.writeFrom(async () => 5, { chunkSize: 4, length: 8 })).rejects.toBeInstanceOf(
        RangeError,
      );
      await h.close();
      await tree.rm('from.bin');
    } finally {
      await client.close();
    }
  });

  it('readChunks: leaving the loop early is clean, and an empty file yields nothing', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      await tree.writeFile('early.bin', pattern(6 * 1024 * 1024, 3));
      await tree.writeFile('empty.bin', new Uint8Array(0));
      const h = await tree.open('early.bin', 'r');
      let seen = 0;
      for await (const c of h.readChunks({ chunkSize: 1 << 20, depth: 4 })) {
        seen += c.length;
        if (seen >= 2 << 20) break;
      }
      expect(seen).toBe(2 << 20);
      // The handle still works after the requests left in flight were drained.
      expect((await h.read(0, 4)).length).toBe(4);
      await h.close();
      const e = await tree.open('empty.bin', 'r');
      const chunks: Uint8Array[] = [];
      for await (const c of e.readChunks()) chunks.push(c);
      expect(chunks).toEqual([]);
      await e.close();
      await tree.rm('early.bin');
      await tree.rm('empty.bin');
    } finally {
      await client.close();
    }
  });
});
