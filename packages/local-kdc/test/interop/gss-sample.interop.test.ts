/**
 * The real peers: MIT krb5 1.20's gss-sample (gss-client / gss-server from
 * krb5-gss-samples) against our KDC, run as the real `lkdc serve` over a database made
 * with `lkdc setup` and `lkdc principal add`, the service key exported with
 * `lkdc keytab export`, and the KDC's requests read back from its audit log.
 *
 * - `-krb5`: the initiator gets alice's TGT and the host/localhost ticket from our KDC,
 *   the acceptor decrypts the ticket with the exported keytab.
 * - `-iakerb` (mech 1.3.6.1.5.2.5, undocumented switch of both programs): the initiator's
 *   only KDC is a dead port, so its AS and TGS exchanges travel inside the GSS tokens and
 *   MIT's acceptor forwards them to our KDC.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Daemon,
  exitWithin,
  findFreePort,
  gssClientArgs,
  requireCommand,
  spawnDaemon,
  waitForListen,
} from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSummary, exportKeytab, krbEnv, type OurKdc, show, startOurKdc, tool } from './our-kdc.js';

const ALICE_PASSWORD = 'alice-Passw0rd';
const SERVICE = 'host@localhost';
const DEAD_KDC = '127.0.0.1:9';

let kdc: OurKdc;
let keytab: string;
/** Profile naming our KDC. */
let ourConf: string;
/** Profile whose only KDC is a dead port. */
let deadConf: string;
const daemons: Daemon[] = [];

beforeAll(async () => {
  requireCommand('gss-server', 'MIT gss-server (krb5-gss-samples)');
  requireCommand('gss-client', 'MIT gss-client (krb5-gss-samples)');
  kdc = await startOurKdc({ alice: { password: ALICE_PASSWORD }, 'host/localhost': {} }, 'local-kdc-gss-');
  keytab = await exportKeytab(kdc, ['host/localhost'], join(kdc.dir, 'host.keytab'));
  ourConf = await kdc.profile('our-kdc');
  deadConf = await kdc.profile('dead-kdc', DEAD_KDC);
}, 20_000);

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  await kdc?.stop();
});

interface Session {
  readonly client: Awaited<ReturnType<typeof tool>>;
  readonly server: { readonly code: number | string; readonly stdout: string; readonly stderr: string };
  readonly clientTrace: string;
  readonly serverTrace: string;
}

/** One gss-server -once (profile naming our KDC) and one gss-client with `clientConf`. */
async function session(name: string, mech: '-krb5' | '-iakerb', clientConf: string): Promise<Session> {
  const port = await findFreePort();
  const serverTrace = join(kdc.dir, `${name}-server.trace`);
  const clientTrace = join(kdc.dir, `${name}-client.trace`);
  const serverArgs = ['-port', String(port), '-once', ...(mech === '-iakerb' ? ['-iakerb'] : [])];
  const server = spawnDaemon(
    'gss-server',
    [...serverArgs, '-keytab', keytab, SERVICE],
    krbEnv(kdc, ourConf, join(kdc.dir, `${name}-server.ccache`), serverTrace),
  );
  daemons.push(server);
  try {
    await waitForListen(port, server);
    const client = await tool(
      'gss-client',
      gssClientArgs({
        port,
        mech,
        user: { name: 'alice', password: ALICE_PASSWORD },
        service: SERVICE,
        message: `hello ${name}`,
      }),
      krbEnv(kdc, clientConf, join(kdc.dir, `${name}-client.ccache`), clientTrace),
    );
    // A failed client may leave the -once server waiting for the next token.
    if (client.code !== 0) await server.stop();
    const code = await exitWithin(server, 5000);
    const read = (f: string) => readFile(f, 'utf8').catch(() => '');
    return {
      client,
      server: { code, stdout: server.stdout(), stderr: server.stderr() },
      clientTrace: await read(clientTrace),
      serverTrace: await read(serverTrace),
    };
  } finally {
    await server.stop();
  }
}

const describeSession = (s: Session, kdcEvents: readonly string[]): string =>
  `client ${show(s.client)}\nserver exit ${s.server.code}\nserver stdout: ${s.server.stdout}\nserver stderr: ${s.server.stderr}\nour KDC: ${kdcEvents.join('\n')}`;

/** What our KDC sees of one password login plus one service ticket (MIT sends small requests over UDP). */
const expectedExchange = (): string[] => {
  const alice = `alice@${kdc.realm}`;
  const tgs = `krbtgt/${kdc.realm}@${kdc.realm}`;
  return [
    `as_req NEEDED_PREAUTH udp ${alice} -> ${tgs}`,
    `as_req ISSUE udp ${alice} -> ${tgs}`,
    `tgs_req ISSUE udp ${alice} -> host/localhost@${kdc.realm}`,
  ];
};

describe('MIT gss-sample against our KDC', () => {
  it('-krb5: gss-client gets tickets from our KDC, gss-server accepts with the exported keytab', async () => {
    const from = (await kdc.events()).length;
    const s = await session('krb5', '-krb5', ourConf);
    const events = eventSummary((await kdc.events(from + 3)).slice(from));
    const why = describeSession(s, events);
    expect(s.client.code, why).toBe(0);
    expect(s.client.stdout, why).toContain('Signature verified.');
    expect(s.server.code, why).toBe(0);
    expect(s.server.stdout, why).toContain(`Accepted connection: "alice@${kdc.realm}"`);
    expect(s.server.stdout, why).toContain(`hello krb5`);
    // Our KDC: AS (PREAUTH_REQUIRED, then ISSUE) and TGS for host/localhost, from the client.
    expect(events, why).toEqual(expectedExchange());
    expect(s.clientTrace).toContain(`Sending request (`);
    expect(s.clientTrace).toContain(`127.0.0.1:${kdc.port}`);
    console.log(`gss-sample -krb5:\n${s.client.stdout}${s.server.stdout}our KDC:\n${events.join('\n')}`);
  }, 20_000);

  it('-iakerb: the client reaches no KDC itself; gss-server proxies its AS and TGS requests to our KDC', async () => {
    const from = (await kdc.events()).length;
    const s = await session('iakerb', '-iakerb', deadConf);
    const events = eventSummary((await kdc.events(from + 3)).slice(from));
    const why = describeSession(s, events);
    expect(s.client.code, why).toBe(0);
    expect(s.client.stdout, why).toContain('Signature verified.');
    expect(s.server.code, why).toBe(0);
    expect(s.server.stdout, why).toContain(`Accepted connection: "alice@${kdc.realm}"`);
    expect(s.server.stdout, why).toContain(`hello iakerb`);
    expect(events, why).toEqual(expectedExchange());
    // The client never sent a KDC request; the acceptor sent them to our port.
    expect(s.clientTrace, why).not.toContain('Sending request');
    expect(s.serverTrace, why).toContain(`127.0.0.1:${kdc.port}`);
    console.log(`gss-sample -iakerb:\n${s.client.stdout}${s.server.stdout}our KDC:\n${events.join('\n')}`);
  }, 20_000);

  it('negative control: -krb5 with the dead-KDC profile cannot contact any KDC', async () => {
    const from = (await kdc.events()).length;
    const s = await session('dead', '-krb5', deadConf);
    const after = (await kdc.events()).slice(from);
    const why = describeSession(s, eventSummary(after));
    expect(s.client.code, why).not.toBe(0);
    expect(s.client.stdout + s.client.stderr, why).toContain(
      `Cannot contact any KDC for realm '${kdc.realm}'`,
    );
    expect(after, why).toEqual([]);
  }, 20_000);
});
