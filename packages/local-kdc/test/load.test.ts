/**
 * Load: 10 000 requests (AS with a prepared key, and mostly TGS) from 100 concurrent clients,
 * half over TCP, half over UDP, against a KDC listening on 127.0.0.1. Every reply must be
 * the right one (the client checks nonce, names and keys); none may fail or be dropped.
 */
import {
  type Credential,
  createAsExchange,
  createTgsExchange,
  fixedClock,
  type KdcTransport,
  runExchange,
  TcpTransport,
  UdpTransport,
} from '@postntlm/krb5-client';
import { parsePrincipal } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KdcListener, listen } from '../src/index.js';
import { REALM, T0, testKdc } from './helpers.js';

const CLIENTS = 100;
const PER_CLIENT = 100;
/** Of each client's requests, this many are AS exchanges (one request each: the key pre-authenticates). */
const AS_PER_CLIENT = 10;

let listener: KdcListener;
let aliceKeys: Parameters<typeof createAsExchange>[0]['credentials'];

beforeAll(async () => {
  const { kdc, store } = await testKdc();
  const alice = await store.get(parsePrincipal(`alice@${REALM}`));
  if (alice === undefined) throw new Error('no alice');
  aliceKeys = { key: alice.keys.filter((k) => k.key.enctype === 18).map((k) => k.key) };
  listener = await listen(kdc, {
    // The default limits: all 100 clients share 127.0.0.1, which the rate limit exempts.
    tcp: {},
    udp: {},
  });
});

afterAll(() => listener?.close());

const clock = fixedClock(T0);

function asTgt(transport: KdcTransport): Promise<Credential> {
  return runExchange(
    createAsExchange({ client: `alice@${REALM}`, credentials: aliceKeys, options: { etypes: [18] }, clock }),
    (_realm, bytes) => transport.send(bytes, { timeoutMs: 10_000 }),
  );
}

async function client(index: number): Promise<{ ok: number; failures: unknown[] }> {
  const transport: KdcTransport =
    index % 2 === 0
      ? new TcpTransport({ host: '127.0.0.1', port: listener.tcpPort ?? 0 })
      : new UdpTransport({ host: '127.0.0.1', port: listener.udpPort ?? 0 });
  const failures: unknown[] = [];
  let ok = 0;
  let tgt: Credential | undefined;
  for (let i = 0; i < PER_CLIENT; i++) {
    try {
      if (i < AS_PER_CLIENT || tgt === undefined) {
        const cred = await asTgt(transport);
        if (cred.server.name.nameString.join('/') !== `krbtgt/${REALM}`) throw new Error('not a TGT');
        tgt = cred;
      } else {
        const st = await runExchange(
          createTgsExchange({ tgt, server: `cifs/host.test@${REALM}`, clock }),
          (_r, bytes) => transport.send(bytes, { timeoutMs: 10_000 }),
        );
        if (
          st.server.name.nameString.join('/') !== 'cifs/host.test' ||
          st.client.name.nameString[0] !== 'alice'
        ) {
          throw new Error('wrong service ticket');
        }
      }
      ok++;
    } catch (e) {
      failures.push(e);
    }
  }
  return { ok, failures };
}

describe('load', () => {
  it(`answers ${CLIENTS * PER_CLIENT} AS/TGS requests from ${CLIENTS} concurrent TCP and UDP clients`, async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    const seconds = (performance.now() - started) / 1000;
    const failures = results.flatMap((r) => r.failures);
    expect(failures).toEqual([]);
    const total = CLIENTS * PER_CLIENT;
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(total);
    const stats = listener.stats();
    expect(stats).toMatchObject({ requests: total, replies: total, inFlight: 0 });
    expect(Object.values(stats.dropped).every((n) => n === 0)).toBe(true);
    console.log(
      `load: ${total} requests in ${seconds.toFixed(2)} s, ${Math.round(total / seconds)} requests/s`,
    );
    expect(seconds).toBeLessThan(45);
  }, 60_000);
});
