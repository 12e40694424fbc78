// IAKerb benchmark (issue 6, line 6): the full flow — realm discovery, AS with
// pre-authentication (PREAUTH_REQUIRED, then PA-ENC-TIMESTAMP), TGS, AP-REQ/AP-REP — between
// our initiator and our acceptor, the acceptor reaching an in-process Local KDC:
//   memory    tokens handed over in-process, KDC engine in-process (protocol cost only);
//   loopback  initiator and acceptor on either end of a TCP connection on 127.0.0.1
//             (4-byte length framing), the acceptor reaching the Local KDC in-process, or
//             over its Unix socket.
// Each with the client's key given (as a keytab gives it) and with a password (string-to-key
// on every flow: PBKDF2 4096 for aes256-cts, 32768 for aes256-sha384).
// The real peer in the same run: MIT 1.20 gss-client -iakerb against gss-server -iakerb and
// MIT's krb5kdc, one whole gss-client process per flow (process start included, so the
// ratio only says how far from MIT's end-to-end time we are).
// Prints median and p99 per row. Not a test.
//
//   pnpm turbo run build --filter=@postntlm/iakerb... --filter=@postntlm/local-kdc && pnpm -F @postntlm/iakerb bench
//
// Options: --iterations N (default 200), --mit-iterations N (default 20), --no-mit.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, INSTALL_HINT, runCommand, startMitKdcPeer } from '@postntlm/interop/bench';
import { cryptoRandom } from '@postntlm/krb5-client';
import { stringToKey } from '@postntlm/krb5-crypto';
import { createKdc, currentKeys, generateRealm, listen, MemoryPrincipalStore } from '@postntlm/local-kdc';
import { engineTransport, IakerbAcceptor, IakerbInitiator, networkTransport } from '../dist/index.js';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const ITERATIONS = Number(arg('--iterations', '200'));
const MIT_ITERATIONS = Number(arg('--mit-iterations', '20'));
const NO_MIT = argv.includes('--no-mit');
const PASSWORD = 'alice-Passw0rd';
const SERVICE = 'host/files.test';

const realm = generateRealm(cryptoRandom);
const store = new MemoryPrincipalStore(realm);
await store.addPrincipal(`krbtgt/${realm}`, { randomKey: true });
await store.addPrincipal('alice', { password: PASSWORD });
const service = await store.addPrincipal(SERVICE, { randomKey: true });
const kdc = createKdc({ realm, store });
const keytab = currentKeys(service).map((k) => ({
  principal: service.principal,
  timestamp: new Date(0),
  kvno: k.kvno,
  key: { enctype: k.key.enctype, bytes: k.key.bytes },
}));
const aliceKey = await stringToKey(18, PASSWORD, `${realm}alice`);

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p99: at(0.99), n: s.length };
}

function initiatorOptions(credentials, etypes) {
  return {
    client: 'alice', // no realm: realm discovery first
    credentials,
    server: SERVICE,
    asOptions: { etypes },
  };
}

async function flowInMemory(credentials, etypes) {
  const initiator = new IakerbInitiator(initiatorOptions(credentials, etypes));
  const acceptor = new IakerbAcceptor({ realm, kdc: engineTransport(kdc), keytab });
  let step = await initiator.step();
  while (!step.done) {
    if (step.error) throw step.error;
    const reply = await acceptor.step(step.outputToken);
    if (reply.error) throw reply.error;
    step = await initiator.step(reply.outputToken);
  }
  if (acceptor.context === undefined) throw new Error('acceptor not established');
}

/** A framed TCP connection: send(bytes) → the next frame. */
function framedClient(port) {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  let buffered = Buffer.alloc(0);
  let waiting;
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0) && waiting) {
      const len = buffered.readUInt32BE(0);
      const frame = new Uint8Array(buffered.subarray(4, 4 + len));
      buffered = buffered.subarray(4 + len);
      const w = waiting;
      waiting = undefined;
      w(frame);
    }
  });
  const ready = new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    ready,
    send(bytes) {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(bytes.length);
      socket.write(Buffer.concat([head, bytes]));
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    close: () => socket.destroy(),
  };
}

async function startLoopbackAcceptor(socketPath) {
  const transport =
    socketPath === undefined
      ? engineTransport(kdc)
      : networkTransport({
          kdcs: {
            [realm]: [{ address: { kind: 'unix', path: socketPath, spec: socketPath }, source: 'config' }],
          },
        });
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    const acceptor = new IakerbAcceptor({ realm, kdc: transport, keytab });
    let buffered = Buffer.alloc(0);
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
        const len = buffered.readUInt32BE(0);
        const token = new Uint8Array(buffered.subarray(4, 4 + len));
        buffered = buffered.subarray(4 + len);
        chain = chain.then(async () => {
          const step = await acceptor.step(token);
          if (step.outputToken === undefined) {
            socket.destroy();
            return;
          }
          const head = Buffer.alloc(4);
          head.writeUInt32BE(step.outputToken.length);
          socket.write(Buffer.concat([head, step.outputToken]));
        });
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

async function flowLoopback(port, credentials, etypes) {
  const client = framedClient(port);
  await client.ready;
  try {
    const initiator = new IakerbInitiator(initiatorOptions(credentials, etypes));
    let step = await initiator.step();
    while (!step.done) {
      if (step.error) throw step.error;
      step = await initiator.step(await client.send(step.outputToken));
    }
  } finally {
    client.close();
  }
}

async function time(n, fn) {
  for (let i = 0; i < Math.min(10, n); i++) await fn(); // warm-up
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return stats(out);
}

async function mitFlows(n) {
  const gssClient = await runCommand('sh', [
    '-c',
    'command -v gss-client && command -v gss-server && command -v krb5kdc',
  ]);
  if (gssClient.code !== 0) return { skipped: `MIT gss-sample or krb5kdc missing (${INSTALL_HINT})` };
  const peer = await startMitKdcPeer({ prefix: 'postntlm-iakerb-bench-mit-' });
  const clientConf = join(tmpdir(), `iakerb-bench-client-${process.pid}.conf`);
  await writeFile(
    clientConf,
    `[libdefaults]\n default_realm = ${peer.env.MIT_KDC_REALM ?? 'MIT.TEST'}\n dns_lookup_kdc = false\n[realms]\n ${peer.env.MIT_KDC_REALM ?? 'MIT.TEST'} = {\n  kdc = 127.0.0.1:9\n }\n`,
  );
  const port = await freePort();
  const server = spawn(
    'gss-server',
    ['-port', String(port), '-iakerb', '-keytab', join(peer.dir, 'service.keytab'), 'host@localhost'],
    { env: { ...process.env, KRB5_CONFIG: peer.conf }, stdio: 'ignore' },
  );
  try {
    await new Promise((r) => setTimeout(r, 300));
    const times = [];
    for (let i = 0; i < n + 2; i++) {
      const cc = join(tmpdir(), `iakerb-bench-cc-${process.pid}-${i}`);
      const t0 = performance.now();
      const r = await runCommand(
        'gss-client',
        [
          '-port',
          String(port),
          '-iakerb',
          '-user',
          'alice',
          '-pass',
          PASSWORD,
          '127.0.0.1',
          'host@localhost',
          'bench',
        ],
        { env: { ...process.env, KRB5_CONFIG: clientConf, KRB5CCNAME: `FILE:${cc}` } },
      );
      const ms = performance.now() - t0;
      await rm(cc, { force: true });
      if (r.code !== 0) throw new Error(`gss-client failed: ${r.stderr || r.stdout}`);
      if (i >= 2) times.push(ms);
    }
    return stats(times);
  } finally {
    server.kill('SIGTERM');
    await peer.stop();
    await rm(clientConf, { force: true });
  }
}

const rows = [];
const add = (name, s) => rows.push({ name, ...s });
add('memory, client key (aes256-cts)', await time(ITERATIONS, () => flowInMemory({ key: aliceKey }, [18])));
add(
  'memory, password aes256-cts (PBKDF2 4096)',
  await time(ITERATIONS, () => flowInMemory({ password: PASSWORD }, [18])),
);
add(
  'memory, password aes256-sha384 (PBKDF2 32768)',
  await time(Math.ceil(ITERATIONS / 4), () => flowInMemory({ password: PASSWORD }, [20])),
);
const inProcess = await startLoopbackAcceptor(undefined);
try {
  add(
    'loopback TCP + in-process KDC, client key',
    await time(ITERATIONS, () => flowLoopback(inProcess.port, { key: aliceKey }, [18])),
  );
} finally {
  await inProcess.close();
}
const socketPath = join(tmpdir(), `iakerb-bench-kdc-${process.pid}.sock`);
const kdcListener = await listen(kdc, { unix: socketPath });
const acceptorServer = await startLoopbackAcceptor(socketPath);
try {
  add(
    'loopback TCP + KDC Unix socket, client key',
    await time(ITERATIONS, () => flowLoopback(acceptorServer.port, { key: aliceKey }, [18])),
  );
  add(
    'loopback TCP + KDC Unix socket, password aes256-cts',
    await time(ITERATIONS, () => flowLoopback(acceptorServer.port, { password: PASSWORD }, [18])),
  );
} finally {
  await acceptorServer.close();
  await kdcListener.close();
}
const mit = NO_MIT ? { skipped: '--no-mit' } : await mitFlows(MIT_ITERATIONS);

console.log(
  `IAKerb full flow (discovery, AS with pre-auth, TGS, AP), ${ITERATIONS} flows per row, node ${process.version}`,
);
console.log(`${'row'.padEnd(54)} ${'median ms'.padStart(10)} ${'p99 ms'.padStart(10)} ${'n'.padStart(5)}`);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(54)} ${r.median.toFixed(2).padStart(10)} ${r.p99.toFixed(2).padStart(10)} ${String(r.n).padStart(5)}`,
  );
}
if ('skipped' in mit) console.log(`MIT 1.20 gss-client -iakerb: skipped (${mit.skipped})`);
else {
  console.log(
    `${'MIT 1.20 gss-client -iakerb (whole process, password)'.padEnd(54)} ${mit.median.toFixed(2).padStart(10)} ${mit.p99.toFixed(2).padStart(10)} ${String(mit.n).padStart(5)}`,
  );
  const ours = rows.find((r) => r.name.startsWith('loopback TCP + KDC Unix socket, password'));
  console.log(`ratio MIT end-to-end / ours (loopback, password): ${(mit.median / ours.median).toFixed(2)}x`);
}
const goalRow = rows.find((r) => r.name.startsWith('loopback TCP + in-process KDC'));
const goal = goalRow.median < 5 ? 'met' : 'NOT met';
console.log(
  `goal: median < 5 ms over loopback with an in-process Local KDC (client key): ${goal} (${goalRow.median.toFixed(2)} ms)`,
);
