/**
 * The real peer: Samba 4.17 smbd with tickets from MIT's KDC (both started by
 * tooling/interop). Our client lists, reads, writes, makes directories, renames and deletes
 * at every dialect from 2.0.2 to 3.1.1 (signed), encrypts on the `enc` share, reports a
 * missing file as STATUS_OBJECT_NAME_NOT_FOUND, and takes its credentials from a password,
 * a keytab or an MIT ccache written by kinit. The dialect matrix runs again against a Samba
 * with NTLM switched off (SMB_KRB5_ONLY=1).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type SambaServer, useMitKdc, useSamba } from '@postntlm/interop';
import { Dialect } from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { SmbClient, type SmbClientOptions, SmbError } from '../../src/index.js';
import { checkWatch } from '../support/watch-check.js';

const kdc = useMitKdc();
const samba = useSamba(kdc);

function options(extra: Partial<SmbClientOptions> = {}, server: () => SambaServer = samba): SmbClientOptions {
  const k = kdc();
  return {
    host: server().host,
    port: server().port,
    serverName: server().serverName,
    auth: { user: `alice@${k.realm}`, password: k.passwords.alice as string, krb5Config: k.files.krb5Conf },
    iakerb: 'never',
    ...extra,
  };
}

/** Every dialect signed, and the encrypted share, against the Samba of `server`. */
function dialectMatrix(server: () => SambaServer): void {
  it.each([
    ['2.0.2', Dialect.SMB_2_0_2],
    ['2.1', Dialect.SMB_2_1],
    ['3.0', Dialect.SMB_3_0],
    ['3.0.2', Dialect.SMB_3_0_2],
    ['3.1.1', Dialect.SMB_3_1_1],
  ])('%s signed: list, read, write, mkdir, rename, delete', async (name, dialect) => {
    const client = await SmbClient.connect(options({ dialects: [dialect] }, server));
    try {
      expect(client.dialect).toBe(dialect);
      const tree = await client.tree('share');
      expect((await tree.readdir('')).map((e) => e.name)).toContain('hello.txt');
      const dir = `dir-${name}`;
      await tree.mkdir(dir);
      await tree.writeFile(`${dir}/a.txt`, `written at ${name}`);
      expect(await readFile(join(server().shareDir, dir, 'a.txt'), 'utf8')).toBe(`written at ${name}`);
      expect(new TextDecoder().decode(await tree.readFile(`${dir}/a.txt`))).toBe(`written at ${name}`);
      await tree.rename(`${dir}/a.txt`, `${dir}/b.txt`);
      expect((await tree.readdir(dir)).map((e) => e.name)).toEqual(['b.txt']);
      await tree.rm(`${dir}/b.txt`);
      await tree.rmdir(dir);
      expect(await tree.exists(dir)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it.each([
    ['3.1.1', Dialect.SMB_3_1_1],
    ['3.0.2', Dialect.SMB_3_0_2],
    ['3.0', Dialect.SMB_3_0],
  ])('the enc share at %s is encrypted', async (_name, dialect) => {
    const client = await SmbClient.connect(options({ dialects: [dialect] }, server));
    try {
      const tree = await client.tree('enc');
      expect(tree.encrypted).toBe(true);
      await tree.writeFile('enc.txt', 'secret');
      expect(new TextDecoder().decode(await tree.readFile('enc.txt'))).toBe('secret');
      await tree.rm('enc.txt');
    } finally {
      await client.close();
    }
  });
}

describe('our client against Samba', () => {
  dialectMatrix(samba);

  it('a 64 MiB file round-trips with an equal sha256 (multi-credit, pipelined, encrypted)', async () => {
    const client = await SmbClient.connect(options({ protection: 'encrypt' }));
    try {
      const tree = await client.tree('share');
      const data = new Uint8Array(64 * 1024 * 1024 + 17);
      globalThis.crypto.getRandomValues(data.subarray(0, 65536));
      for (let at = 65536; at < data.length; at += 65536)
        data.copyWithin(at, 0, Math.min(65536, data.length - at));
      await tree.writeFile('big.bin', data);
      const back = await tree.readFile('big.bin');
      const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
      expect(sha(back)).toBe(sha(data));
      await tree.rm('big.bin');
    } finally {
      await client.close();
    }
  });

  it.each([
    ['signed', 'sign' as const],
    ['encrypted', 'encrypt' as const],
  ])(
    '%s: 96 MiB + 5 through writeFrom (reused buffers) and readChunks (lent frames), equal sha256',
    async (_, protection) => {
      const client = await SmbClient.connect(options({ protection }));
      try {
        const tree = await client.tree('share');
        const data = new Uint8Array(96 * 1024 * 1024 + 5);
        globalThis.crypto.getRandomValues(data.subarray(0, 65536));
        for (let at = 65536; at < data.length; at += 65536) {
          data.copyWithin(at, 0, Math.min(65536, data.length - at));
          data[at] = (at >> 16) & 0xff; // no two 64 KiB alike
        }
        const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
        const want = sha(data);
        const h = await tree.open(`chunks-${protection}.bin`, 'w');
        const n = await h.writeFrom(async (buffer, at) => {
          const part = data.subarray(at, at + buffer.length);
          buffer.set(part);
          return part.length;
        });
        expect(n).toBe(data.length);
        expect(sha(data)).toBe(want); // in-place sealing never touched the source
        const received = createHash('sha256');
        let chunks = 0;
        for await (const chunk of h.readChunks()) {
          received.update(chunk);
          chunks++;
        }
        expect(received.digest('hex')).toBe(want);
        expect(chunks).toBe(13); // 8 MiB READs: Samba's MaxReadSize
        await h.close();
        await tree.rm(`chunks-${protection}.bin`);
      } finally {
        await client.close();
      }
    },
    120_000,
  );

  it('a 1 GiB file round-trips through the streams with an equal sha256 (signed, 3.1.1)', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      const block = new Uint8Array(1024 * 1024);
      globalThis.crypto.getRandomValues(block.subarray(0, 65536));
      for (let at = 65536; at < block.length; at *= 2) block.copyWithin(at, 0, at);
      const sent = createHash('sha256');
      async function* source(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 1024; i++) {
          block[0] = i & 0xff;
          block[1] = i >> 8;
          sent.update(block);
          yield block.slice();
        }
      }
      await pipeline(Readable.from(source()), tree.createWriteStream('gig.bin'));
      expect((await tree.stat('gig.bin')).size).toBe(1024 * 1024 * 1024);
      const received = createHash('sha256');
      for await (const chunk of tree.createReadStream('gig.bin')) received.update(chunk as Uint8Array);
      expect(received.digest('hex')).toBe(sent.digest('hex'));
      await tree.rm('gig.bin');
    } finally {
      await client.close();
    }
  }, 300_000);

  it('listShares() over srvsvc', async () => {
    const client = await SmbClient.connect(options());
    try {
      const shares = await client.listShares();
      const names = shares.map((x) => x.name);
      expect(names).toEqual(expect.arrayContaining(['share', 'enc', 'IPC$']));
      expect(shares.find((x) => x.name === 'IPC$')).toMatchObject({ type: 'ipc', special: true });
      expect(shares.find((x) => x.name === 'share')?.type).toBe('disk');
    } finally {
      await client.close();
    }
  });

  it('watch() reports a new file and stops on abort', async () => {
    const client = await SmbClient.connect(options());
    try {
      await checkWatch(client, 'share');
    } finally {
      await client.close();
    }
  });

  it('a missing file is SmbError STATUS_OBJECT_NAME_NOT_FOUND', async () => {
    const client = await SmbClient.connect(options());
    try {
      const tree = await client.tree('share');
      const e = await tree.stat('missing.txt').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SmbError);
      expect((e as SmbError).code).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
    } finally {
      await client.close();
    }
  });

  it('credentials from a keytab and from an MIT ccache (kinit)', async () => {
    const k = kdc();
    const viaKeytab = await SmbClient.connect(
      options({
        auth: { user: `alice@${k.realm}`, keytab: k.files.aliceKeytab, krb5Config: k.files.krb5Conf },
      }),
    );
    await viaKeytab.close();
    const ccache = join(k.dir, 'client-ccache');
    const r = await k.run('kinit', ['-c', `FILE:${ccache}`, 'alice'], { input: `${k.passwords.alice}\n` });
    expect(r.code, r.stderr).toBe(0);
    const viaCcache = await SmbClient.connect(
      options({ auth: { ccache: `FILE:${ccache}`, krb5Config: k.files.krb5Conf } }),
    );
    try {
      expect(viaCcache.user).toBe(`alice@${k.realm}`);
      const tree = await viaCcache.tree('share');
      await writeFile(join(samba().shareDir, 'from-disk.txt'), 'on disk');
      expect(new TextDecoder().decode(await tree.readFile('from-disk.txt'))).toBe('on disk');
    } finally {
      await viaCcache.close();
    }
  });
});

describe('our client against Samba with NTLM switched off (SMB_KRB5_ONLY=1)', () => {
  dialectMatrix(useSamba(kdc, { krb5Only: true }));
});
