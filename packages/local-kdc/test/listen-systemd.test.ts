/**
 * Socket activation end to end: this process plays systemd (opens the sockets, passes them
 * as fds 3.. with LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES) and a child Node process runs
 * `listenFromSystemd()` over the real engine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type Credential,
  createAsExchange,
  fixedClock,
  type KdcTransport,
  runExchange,
  seededRandom,
  TcpTransport,
  UdpTransport,
  UnixTransport,
} from '@postntlm/krb5-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenFromSystemd, SystemdActivationError, systemdListenFds } from '../src/index.js';
import { PASSWORDS, REALM, T0, testKdc } from './helpers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
let dir: string;

/**
 * Node 20 cannot import TypeScript, so the child registers these hooks: `.js` specifiers
 * fall back to the `.ts` source, which TypeScript transpiles on load (no type checking).
 */
const hooks = (typescript: string): string => `
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
const ts = createRequire(import.meta.url)(${JSON.stringify(typescript)});
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (!specifier.endsWith('.js') || !context.parentURL?.endsWith('.ts')) throw e;
    return next(specifier.slice(0, -3) + '.ts', context);
  }
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: url,
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
`;

const child = (): string => `
import { listenFromSystemd } from ${JSON.stringify(pathToFileURL(join(here, '../src/index.ts')).href)};
import { testKdc } from ${JSON.stringify(pathToFileURL(join(here, 'helpers.ts')).href)};
const seen = { pid: process.env.LISTEN_PID ?? null, fds: process.env.LISTEN_FDS ?? null };
const { kdc } = await testKdc();
try {
  const listener = await listenFromSystemd(kdc, { exitWhenIdleMs: Number(process.argv[2]) });
  console.log(JSON.stringify({ ready: true, endpoints: listener.endpoints }));
  const reason = await listener.closed;
  const after = { pid: process.env.LISTEN_PID ?? null, fds: process.env.LISTEN_FDS ?? null };
  console.log(JSON.stringify({ reason, stats: listener.stats(), seen, after }));
} catch (e) {
  console.log(JSON.stringify({ error: e.name, code: e.code, fd: e.fd }));
  process.exitCode = 3;
}
`;

/** The fd behind a listening server or bound UDP socket; Node exposes no public getter. */
function fdOf(socket: Server | UdpSocket): number {
  if (socket instanceof Server) {
    const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
    if (typeof handle?.fd === 'number') return handle.fd;
  }
  // dgram keeps its handle under a symbol; `_handle` is its deprecated alias (DEP0112).
  for (const sym of Object.getOwnPropertySymbols(socket)) {
    const state = (socket as unknown as Record<symbol, { handle?: { fd?: number } } | undefined>)[sym];
    if (typeof state?.handle?.fd === 'number') return state.handle.fd;
  }
  throw new Error('no fd');
}

interface Started {
  readonly proc: ChildProcess;
  readonly lines: AsyncIterator<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
}

/** Spawns the child with `fds` as 3.. and LISTEN_PID set to its own pid by `sh`'s `exec`. */
function start(fds: readonly number[], names: string, idleMs: number): Started {
  const loader = `data:text/javascript,${encodeURIComponent(
    `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`,
  )}`;
  const proc = spawn(
    'sh',
    [
      '-c',
      'LISTEN_PID=$$ exec "$0" --import "$1" "$2" "$3"',
      process.execPath,
      loader,
      join(dir, 'child.mjs'),
      String(idleMs),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit', ...fds],
      env: { ...process.env, LISTEN_FDS: String(fds.length), LISTEN_FDNAMES: names },
    },
  );
  const queue: Record<string, unknown>[] = [];
  const waiting: ((v: IteratorResult<Record<string, unknown>>) => void)[] = [];
  let rest = '';
  proc.stdout?.setEncoding('utf8').on('data', (text: string) => {
    rest += text;
    for (let i = rest.indexOf('\n'); i >= 0; i = rest.indexOf('\n')) {
      const value = JSON.parse(rest.slice(0, i)) as Record<string, unknown>;
      rest = rest.slice(i + 1);
      const w = waiting.shift();
      if (w === undefined) queue.push(value);
      else w({ value, done: false });
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const lines: AsyncIterator<Record<string, unknown>> = {
    next: () => {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
  return { proc, lines, exited };
}

async function tgtOver(transport: KdcTransport, seed: number): Promise<Credential> {
  return runExchange(
    createAsExchange({
      client: `alice@${REALM}`,
      credentials: { password: PASSWORDS.alice },
      options: { etypes: [18] },
      clock: fixedClock(T0),
      random: seededRandom(seed),
    }),
    (_realm, bytes) => transport.send(bytes, { timeoutMs: 5000 }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lkdc-systemd-'));
  await writeFile(join(dir, 'hooks.mjs'), hooks(createRequire(import.meta.url).resolve('typescript')));
  await writeFile(join(dir, 'child.mjs'), child());
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('listenFromSystemd in a socket-activated child process', () => {
  it('serves passed TCP, UDP and Unix sockets, then exits when idle', async () => {
    const tcp = createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const bound = join(dir, 'bound.sock');
    const path = join(dir, 'kdc.sock');
    const unix = createServer();
    await new Promise<void>((r) => unix.listen(bound, r));
    const tcpPort = (tcp.address() as { port: number }).port;
    const udpPort = udp.address().port;
    try {
      const { proc, lines, exited } = start(
        [fdOf(tcp), fdOf(udp), fdOf(unix)],
        'kerberos:kerberos-dgram:local',
        700,
      );
      // Like systemd while the service runs, this process must not accept or read itself: close
      // its copies. libuv unlinks a Unix socket's path on close, so the file is renamed first.
      await rename(bound, path);
      await Promise.all([
        new Promise<void>((r) => tcp.close(() => r())),
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => unix.close(() => r())),
      ]);
      const ready = (await lines.next()).value;
      expect(ready).toMatchObject({
        ready: true,
        endpoints: [
          { transport: 'tcp', address: '127.0.0.1', port: tcpPort, name: 'kerberos' },
          { transport: 'unix', name: 'local' },
          { transport: 'udp', address: '127.0.0.1', port: udpPort, name: 'kerberos-dgram' },
        ],
      });
      const creds = await Promise.all([
        tgtOver(new TcpTransport({ host: '127.0.0.1', port: tcpPort }), 1),
        tgtOver(new UdpTransport({ host: '127.0.0.1', port: udpPort }), 2),
        tgtOver(new UnixTransport({ path }), 3),
      ]);
      for (const c of creds) {
        expect(c.client.name.nameString).toEqual(['alice']);
        expect(c.server.name.nameString).toEqual(['krbtgt', REALM]);
      }
      const startedIdle = Date.now();
      const done = (await lines.next()).value as { reason: string; stats: Record<string, unknown> };
      expect(Date.now() - startedIdle).toBeGreaterThanOrEqual(500);
      expect(done).toMatchObject({
        reason: 'idle',
        // Each AS exchange is two requests (PREAUTH_REQUIRED, then with PA-ENC-TIMESTAMP).
        stats: { requests: 6, replies: 6, connectionsOpen: 0, inFlight: 0 },
        // `exec` kept the shell's pid, so LISTEN_PID named the KDC process; it was then unset.
        seen: { pid: String(proc.pid), fds: '3' },
        after: { pid: null, fds: null },
      });
      expect(await exited).toBe(0);
    } finally {
      for (const s of [tcp, unix]) if (s.listening) s.close();
    }
  }, 30_000);

  it('refuses an fd that is not a socket with a typed error', async () => {
    const file = join(dir, 'plain');
    await writeFile(file, '');
    const fd = openSync(file, 'r');
    try {
      const { lines, exited } = start([fd], 'kerberos', 500);
      expect((await lines.next()).value).toEqual({
        error: 'SystemdActivationError',
        code: 'unsupported-socket',
        fd: 3,
      });
      expect(await exited).toBe(3);
    } finally {
      closeSync(fd);
    }
  }, 30_000);
});

describe('systemdListenFds (sd_listen_fds(3) semantics)', () => {
  it('numbers fds from 3, names them, and unsets the variables', () => {
    const env: Record<string, string | undefined> = {
      LISTEN_PID: '1234',
      LISTEN_FDS: '2',
      LISTEN_FDNAMES: 'kerberos:kpasswd',
      OTHER: 'kept',
    };
    expect(systemdListenFds({ env, pid: 1234 })).toEqual([
      { fd: 3, name: 'kerberos' },
      { fd: 4, name: 'kpasswd' },
    ]);
    expect(env).toEqual({ OTHER: 'kept' });
  });

  it('ignores variables meant for another process, but still unsets them', () => {
    const env: Record<string, string | undefined> = { LISTEN_PID: '1', LISTEN_FDS: '1' };
    expect(systemdListenFds({ env, pid: 2 })).toEqual([]);
    expect(env).toEqual({});
    const kept: Record<string, string | undefined> = { LISTEN_PID: '2', LISTEN_FDS: '1' };
    expect(systemdListenFds({ env: kept, pid: 2, unsetEnvironment: false })).toEqual([
      { fd: 3, name: 'unknown' },
    ]);
    expect(kept).toEqual({ LISTEN_PID: '2', LISTEN_FDS: '1' });
    expect(systemdListenFds({ env: {}, pid: 2 })).toEqual([]);
    expect(
      systemdListenFds({ env: { LISTEN_PID: '2', LISTEN_FDS: '0', LISTEN_FDNAMES: '' }, pid: 2 }),
    ).toEqual([]);
  });

  it('rejects malformed variables', () => {
    const bad = [
      { LISTEN_PID: 'x', LISTEN_FDS: '1' },
      { LISTEN_PID: '2', LISTEN_FDS: '-1' },
      { LISTEN_PID: '2', LISTEN_FDS: '2', LISTEN_FDNAMES: 'one' },
    ];
    for (const env of bad) {
      expect(() => systemdListenFds({ env, pid: 2 })).toThrow(
        expect.objectContaining({ name: 'SystemdActivationError', code: 'invalid-environment' }),
      );
    }
  });

  it('listenFromSystemd without passed sockets is a not-activated error', async () => {
    const { kdc } = await testKdc();
    const e = await listenFromSystemd(kdc, { env: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SystemdActivationError);
    expect(e).toMatchObject({ code: 'not-activated' });
  });
});
