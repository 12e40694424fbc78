/**
 * Acceptance (IAKerb issue, line 2): MIT 1.20's `gss-client -iakerb` (the legacy MIT
 * dialect) against OUR acceptor, a gss-sample server in this process driving
 * `IakerbAcceptor`. The client's krb5.conf names only a dead KDC (127.0.0.1:9) and its
 * cache is empty: its AS and TGS exchanges can only travel inside the IAKerb tokens.
 *  - `networkTransport` (krb5.conf of the throw-away MIT KDC): our acceptor forwards them
 *    to MIT's krb5kdc, whose log shows the AS (pre-auth required, then issued) and TGS;
 *  - `engineTransport`: to an in-process Local KDC engine, whose audit shows the same
 *    three requests arriving over the `iakerb` transport.
 * gss-client must print "Signature verified." (our MIC of its message) and exit 0, and its
 * KRB5_TRACE must show no KDC contact.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GssChecksumExtensionType } from '@postntlm/gssapi-spnego';
import {
  exitWithin,
  gssClientArgs,
  type MitKdc,
  requireCommand,
  spawnDaemon,
  useMitKdc,
} from '@postntlm/interop';
import { loadKrb5Config } from '@postntlm/krb5-client';
import { type KeytabEntry, readKeytab } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  engineTransport,
  IakerbAcceptor,
  type IakerbAcceptorOptions,
  type IakerbEvent,
  networkTransport,
} from '../../src/index.js';
import {
  deadKdcProfile,
  KDC_CONTACT,
  readText,
  type ServedSession,
  serveIakerb,
  tempDir,
} from './gss-sample.js';
import { ALICE_PASSWORD, auditAtLeast, auditSummary, expectedExchange, localRealm } from './local-realm.js';

const mit = useMitKdc();
let work: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  requireCommand('gss-client', 'MIT gss-client (krb5-gss-samples)');
  work = await tempDir('iakerb-mit-client-');
});
afterAll(async () => {
  await work?.remove();
});

interface Outcome {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
  readonly trace: string;
  readonly session: ServedSession | Error;
  readonly events: readonly IakerbEvent[];
  readonly ms: number;
}

/**
 * Our gss-sample server with `options`, then `gss-client -iakerb -user alice -pass ...`
 * with a dead-KDC profile for `realm` and an empty cache; everything stopped afterwards.
 */
async function session(
  name: string,
  realm: string,
  options: Omit<IakerbAcceptorOptions, 'onEvent'>,
  mech: '-iakerb' | '-krb5' = '-iakerb',
): Promise<Outcome> {
  const started = performance.now();
  const events: IakerbEvent[] = [];
  const server = await serveIakerb(() => new IakerbAcceptor({ ...options, onEvent: (e) => events.push(e) }));
  const conf = await deadKdcProfile(work.dir, `${name}-client`, realm);
  const trace = join(work.dir, `${name}-client.trace`);
  const client = spawnDaemon(
    'gss-client',
    gssClientArgs({
      port: server.port,
      mech,
      user: { name: 'alice', password: ALICE_PASSWORD },
      service: 'host@localhost',
      message: `hello ${name}`,
    }),
    {
      KRB5_CONFIG: conf,
      KRB5CCNAME: `FILE:${join(work.dir, `${name}-client.ccache`)}`,
      KRB5RCACHEDIR: work.dir,
      KRB5_TRACE: trace,
    },
  );
  try {
    const code = await exitWithin(client, 30_000);
    const served = await Promise.race([
      server.session.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
      new Promise<Error>((r) => setTimeout(() => r(new Error('our acceptor did not finish')), 5000)),
    ]);
    return {
      code,
      stdout: client.stdout(),
      stderr: client.stderr(),
      trace: await readText(trace),
      session: served,
      events,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await client.stop();
    await server.close();
  }
}

const why = (o: Outcome, extra = ''): string =>
  `gss-client exit ${o.code}\nstdout: ${o.stdout}\nstderr: ${o.stderr}\nacceptor: ${
    o.session instanceof Error
      ? `${o.session.message} ${String((o.session.cause as Error | undefined)?.message ?? '')}`
      : 'ok'
  }\nevents: ${o.events.map((e) => `${e.direction}:${e.type}${e.errorCode ? `(${e.errorCode})` : ''}`).join(' ')}\n${extra}\nclient trace:\n${o.trace}`;

/** What our acceptor did: three proxied exchanges (AS ×2, TGS), then the AP exchange. */
const PROXY_EVENTS = [
  'in:as-req',
  'kdc-out:as-req',
  'kdc-in:krb-error',
  'out:krb-error',
  'in:as-req',
  'kdc-out:as-req',
  'kdc-in:as-rep',
  'out:as-rep',
  'in:tgs-req',
  'kdc-out:tgs-req',
  'kdc-in:tgs-rep',
  'out:tgs-rep',
  'in:ap-req',
  'out:ap-rep',
];

function expectSuccess(o: Outcome, realm: string, extra: string): ServedSession {
  const w = why(o, extra);
  expect(o.session, w).not.toBeInstanceOf(Error);
  expect(o.code, w).toBe(0);
  expect(o.stdout, w).toContain('Signature verified.');
  const s = o.session as ServedSession;
  expect(s.context.client).toMatchObject({ realm, name: { nameString: ['alice'] } });
  expect(s.acceptor.dialect).toBe('mit-legacy');
  // MIT's FINISHED (legacy: 0x8003 extension 1, key usage 42), which our acceptor verified.
  expect(
    s.context.gssChecksum?.extensions.map((e) => e.type),
    w,
  ).toEqual([GssChecksumExtensionType.iakerbFinishedLegacy]);
  expect(
    o.events.map((e) => `${e.direction}:${e.type}`),
    w,
  ).toEqual(PROXY_EVENTS);
  // Legacy wire format: only MIT's first token framed; later proxy tokens (both ways) bare 05 01.
  expect(s.tokensIn[0]?.startsWith('60'), w).toBe(true);
  expect(s.tokensIn[0], w).toContain('06062b0601050205' + '0501');
  for (const t of s.tokensIn.slice(1, -1)) expect(t.startsWith('0501'), w).toBe(true);
  for (const t of s.tokensOut.slice(0, -1)) expect(t.startsWith('0501'), w).toBe(true);
  // The AP-REQ and AP-REP under the IAKerb OID, token IDs 01 00 / 02 00.
  expect(s.tokensIn.at(-1), w).toMatch(/^60.*06062b06010502050100/);
  expect(s.tokensOut.at(-1), w).toMatch(/^60.*06062b06010502050200/);
  // The client itself never reached a KDC (its only KDC is a dead port).
  expect(o.trace, w).toContain(`Getting initial credentials for alice@${realm}`);
  expect(o.trace, w).not.toMatch(KDC_CONTACT);
  return s;
}

describe('MIT gss-client -iakerb → our IAKerb acceptor', () => {
  it('networkTransport to the MIT KDC (dialect auto → mit-legacy): "Signature verified.", AS and TGS in krb5kdc\'s log', async () => {
    const k: MitKdc = mit();
    const keytab: KeytabEntry[] = readKeytab(new Uint8Array(await readFile(k.files.serviceKeytab)));
    const config = await loadKrb5Config(k.files.krb5Conf);
    const logBefore = (await readText(k.files.log)).length;
    const o = await session('mit-kdc', k.realm, {
      realm: k.realm,
      kdc: networkTransport({ config }),
      keytab,
      principal: `host/localhost@${k.realm}`,
    });
    const kdcLog = (await readText(k.files.log)).slice(logBefore);
    const s = expectSuccess(o, k.realm, `krb5kdc log:\n${kdcLog}`);
    expect(s.message).toBe('hello mit-kdc');
    const requests = kdcLog.split('\n').filter((l) => /(AS|TGS)_REQ/.test(l));
    const w = why(o, `krb5kdc log:\n${kdcLog}`);
    expect(requests, w).toHaveLength(3);
    expect(requests[0], w).toMatch(
      /AS_REQ .* NEEDED_PREAUTH: alice@MIT\.TEST for krbtgt\/MIT\.TEST@MIT\.TEST/,
    );
    expect(requests[1], w).toMatch(/AS_REQ .* ISSUE: .*alice@MIT\.TEST for krbtgt\/MIT\.TEST@MIT\.TEST/);
    expect(requests[2], w).toMatch(/TGS_REQ .* ISSUE: .*alice@MIT\.TEST for host\/localhost@MIT\.TEST/);
    console.log(
      `MIT gss-client -iakerb → our acceptor → MIT KDC (${o.ms} ms):\n${o.stdout.split('\n').slice(-3).join('\n')}\n${requests.join('\n')}`,
    );
  }, 60_000);

  it('engineTransport to an in-process Local KDC (dialect mit-legacy): "Signature verified.", AS and TGS in its audit', async () => {
    const local = await localRealm();
    const o = await session('local-kdc', local.realm, {
      realm: local.realm,
      kdc: engineTransport(local.kdc),
      keytab: local.keytab,
      dialect: 'mit-legacy',
    });
    await auditAtLeast(local.audit, 3);
    const audit = auditSummary(local.audit);
    const s = expectSuccess(o, local.realm, `audit:\n${audit.join('\n')}`);
    expect(s.message).toBe('hello local-kdc');
    expect(audit, why(o)).toEqual(expectedExchange(local.realm, 'iakerb'));
    console.log(
      `MIT gss-client -iakerb → our acceptor → Local KDC engine (${o.ms} ms):\n${audit.join('\n')}`,
    );
  }, 60_000);

  it('negative control: the same client profile with -krb5 cannot reach a KDC (and its trace says so)', async () => {
    const local = await localRealm();
    const o = await session(
      'krb5-dead',
      local.realm,
      { realm: local.realm, kdc: engineTransport(local.kdc), keytab: local.keytab },
      '-krb5',
    );
    const w = why(o);
    expect(o.code, w).not.toBe(0);
    expect(o.stdout + o.stderr, w).toContain(`Cannot contact any KDC for realm '${local.realm}'`);
    // The pattern the IAKerb tests assert absent does match a client that tries its KDC.
    expect(o.trace, w).toMatch(KDC_CONTACT);
    expect(o.trace, w).toContain('127.0.0.1:9');
    expect(local.audit).toEqual([]);
  }, 60_000);
});
