/** Option checks that need no server: kinit --kdc, the order of checks, error mapping, the trace hook. */
import { link, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@postntlm/interop';
import { ProfileError } from '@postntlm/krb5-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, SMB_OPTIONS } from '../src/cli/args.js';
import type { AppIo } from '../src/cli/io.js';
import { toCliError } from '../src/errors.js';
import { main } from '../src/program.js';
import { withAuthTrace } from '../src/trace-output.js';

function fakeIo(stdin = ''): AppIo & { out: string; err: string; stdinReads: number } {
  const o = {
    out: '',
    err: '',
    stdinReads: 0,
    stdout: (t: string) => {
      o.out += t;
    },
    stderr: (t: string) => {
      o.err += t;
    },
    readStdin: async () => {
      o.stdinReads++;
      return stdin;
    },
    stdin: process.stdin,
    env: {},
    stderrIsTty: false,
    stdinIsTty: false,
  };
  return o;
}

describe('kinit options', () => {
  it('refuses a bad --kdc before reading the password', async () => {
    const io = fakeIo('pw\n');
    expect(await main(['kinit', 'alice@R', '--password-stdin', '--kdc', 'udp/[::1'], io)).toBe(2);
    expect(io.err).toMatch(/--kdc udp\/\[::1: /);
    expect(io.stdinReads).toBe(0);
  });
  it('needs --password-stdin and a whole --lifetime', async () => {
    expect(await main(['kinit', 'alice@R'], fakeIo())).toBe(2);
    const io = fakeIo('pw\n');
    expect(await main(['kinit', 'alice@R', '--password-stdin', '--lifetime', '1.5'], io)).toBe(2);
    expect(io.err).toMatch(/--lifetime 1\.5: seconds/);
  });
});

describe('SMB command options', () => {
  it('checks --port before reading the password', async () => {
    const io = fakeIo('pw\n');
    expect(await main(['ls', '//h/s', '--user', 'a', '--password-stdin', '--port', '70000'], io)).toBe(2);
    expect(io.err).toMatch(/--port 70000: 1-65535/);
    expect(io.stdinReads).toBe(0);
  });
  it('a port nobody listens on is a network failure (exit 6)', async () => {
    const io = fakeIo('pw\n');
    const port = String(await findFreePort());
    const argv = ['ls', '//files.test/s', '-I', '127.0.0.1', '-p', port, '-U', 'alice@R', '--password-stdin'];
    expect(await main(argv, io)).toBe(6);
    expect(io.err).toMatch(/cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
  it('refuses --iakerb values it does not know', async () => {
    const io = fakeIo();
    expect(await main(['ls', '//h/s', '--iakerb', 'sometimes'], io)).toBe(2);
    expect(io.err).toMatch(/auto, always or never/);
  });
});

describe('error mapping', () => {
  it('a broken krb5.conf is a usage error; a bug is a message without a stack', () => {
    const profile = toCliError(new ProfileError('cannot read /x', { file: '/x', line: 0 }));
    expect(profile.exitCode).toBe(2);
    expect(profile.message).toMatch(/^krb5\.conf: /);
    const bug = toCliError(new TypeError('boom'));
    expect(bug.exitCode).toBe(1);
    expect(bug.message).toBe('unexpected: TypeError: boom');
    expect(toCliError(Object.assign(new Error('is a dir'), { code: 'EISDIR' })).exitCode).toBe(2);
  });
});

describe('--trace / --trace-svg around authentication', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postntlm-smb-trace-output-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const flags = (argv: string[]) => parse(argv, SMB_OPTIONS, 'u', { min: 0, max: 0 });

  it('passes no hook without the flags', async () => {
    const io = fakeIo();
    expect(await withAuthTrace('srv', flags([]), io, async (hook) => hook)).toEqual({});
    expect(io.err).toBe('');
  });

  it('prints the steps and writes the SVG also when authentication fails', async () => {
    const io = fakeIo();
    const svg = join(dir, 'failed.svg');
    const failing = withAuthTrace('srv', flags(['--trace', '--trace-svg', svg]), io, async (hook) => {
      hook.onAuthTrace?.({ direction: 'send', command: 'NEGOTIATE', bytes: 100, timeMs: 0 });
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect(io.err).toMatch(/1 +C -> S +NEGOTIATE request/);
    expect(await readFile(svg, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });
});

describe('kdestroy', () => {
  it('zeroes the cache before removing it, and an absent cache is fine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'postntlm-smb-kdestroy-'));
    try {
      const cache = join(dir, 'cc');
      await writeFile(cache, 'ticket and session key bytes');
      await link(cache, join(dir, 'second-name')); // sees the same bytes after the unlink
      const io = { ...fakeIo(), env: { KRB5CCNAME: `FILE:${cache}` } };
      expect(await main(['kdestroy'], io)).toBe(0);
      await expect(readFile(cache)).rejects.toThrow(/ENOENT/);
      expect([...(await readFile(join(dir, 'second-name')))].every((b) => b === 0)).toBe(true);
      expect(await main(['kdestroy'], io)).toBe(0);
      const memory = { ...fakeIo(), env: { KRB5CCNAME: 'MEMORY:x' } };
      expect(await main(['kdestroy'], memory)).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
