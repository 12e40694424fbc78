/**
 * Acceptance (IAKerb issue, line 3): OUR initiator (`IakerbInitiator`, dialect
 * `mit-legacy`, alice's password) in a gss-sample client in this process, against MIT
 * 1.20's `gss-server -once -iakerb` whose krb5.conf names the throw-away MIT KDC.
 * gss-server must print `Accepted connection: "alice@MIT.TEST"` and the message, and we
 * verify its MIC of the message. Our side has no KDC at all (the initiator has no
 * transport and does no I/O: its KDC requests leave only as context tokens), so every
 * request krb5kdc logs came from gss-server: its KRB5_TRACE shows exactly as many sends
 * to the KDC as our initiator wrapped KDC requests, and krb5kdc logs exactly those.
 */
import { join } from 'node:path';
import {
  type Daemon,
  exitWithin,
  findFreePort,
  type MitKdc,
  requireCommand,
  spawnDaemon,
  useMitKdc,
  waitForListen,
} from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IakerbEvent, IakerbInitiator } from '../../src/index.js';
import { type ClientSession, connectTo, readText, runIakerbClient, tempDir } from './gss-sample.js';

const mit = useMitKdc();
let work: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  requireCommand('gss-server', 'MIT gss-server (krb5-gss-samples)');
  work = await tempDir('iakerb-mit-server-');
});
afterAll(async () => {
  await work?.remove();
});

/** `gss-server -port P -once -iakerb -keytab KDC_DIR/service.keytab host@localhost`, listening. */
async function startGssServer(
  k: MitKdc,
  name: string,
): Promise<{ peer: Daemon; port: number; trace: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const trace = join(work.dir, `${name}-server.trace`);
    const peer = spawnDaemon(
      'gss-server',
      ['-port', String(port), '-once', '-iakerb', '-keytab', k.files.serviceKeytab, 'host@localhost'],
      {
        KRB5_CONFIG: k.files.krb5Conf,
        KRB5CCNAME: `FILE:${join(work.dir, `${name}-server.ccache`)}`,
        KRB5RCACHEDIR: work.dir,
        KRB5_TRACE: trace,
      },
    );
    try {
      await waitForListen(port, peer);
      return { peer, port, trace };
    } catch (e) {
      await peer.stop();
      // Another process took the port between the probe and gss-server's bind.
      if (attempt >= 3) throw e;
    }
  }
}

describe('our IAKerb initiator (mit-legacy) → MIT gss-server -iakerb', () => {
  it('gss-server accepts alice@MIT.TEST and proxies our AS and TGS requests to its KDC; its MIC verifies', async () => {
    const started = performance.now();
    const k = mit();
    const logBefore = (await readText(k.files.log)).length;
    const { peer, port, trace } = await startGssServer(k, 'legacy');
    const events: IakerbEvent[] = [];
    let client: ClientSession | Error;
    try {
      const initiator = new IakerbInitiator({
        client: `alice@${k.realm}`,
        credentials: { password: k.passwords.alice ?? 'alice-Passw0rd' },
        server: 'host/localhost',
        dialect: 'mit-legacy',
        onEvent: (e) => events.push(e),
      });
      const socket = await connectTo(port);
      try {
        client = await runIakerbClient(socket, initiator, 'hello from the PostNTLM IAKerb initiator');
      } catch (e) {
        client = e instanceof Error ? e : new Error(String(e));
      } finally {
        socket.destroy();
      }
      await exitWithin(peer, 5000);
    } finally {
      await peer.stop();
    }
    const code = await peer.exited;
    const out = peer.stdout() + peer.stderr();
    const serverTrace = await readText(trace);
    const kdcLog = (await readText(k.files.log)).slice(logBefore);
    const why = `gss-server exit ${code}\noutput:\n${out}\nour client: ${
      client instanceof Error
        ? `${client.message} / ${String((client.cause as Error | undefined)?.message)}`
        : 'ok'
    }\nevents: ${events.map((e) => `${e.direction}:${e.type}`).join(' ')}\nserver trace:\n${serverTrace}\nkrb5kdc log:\n${kdcLog}`;

    expect(client, why).not.toBeInstanceOf(Error);
    const c = client as ClientSession;
    expect(c.micVerified).toBe(true);
    expect(code, why).toBe(0);
    expect(out, why).toContain('Accepted connection: "alice@MIT.TEST"');
    expect(out, why).toContain('Received message: "hello from the PostNTLM IAKerb initiator"');
    expect(out, why).not.toContain('GSS-API error');
    expect(c.context.server).toMatchObject({
      realm: 'MIT.TEST',
      name: { nameString: ['host', 'localhost'] },
    });

    // Legacy wire format: only our first token framed, later ones bare 05 01; AP-REQ under the IAKerb OID.
    expect(c.tokensOut[0], why).toMatch(/^60.*06062b06010502050501300ca10a04084d49542e54455354/);
    for (const t of c.tokensOut.slice(1, -1)) expect(t, why).toMatch(/^0501300ca10a04084d49542e54455354/);
    expect(c.tokensOut.at(-1), why).toMatch(/^60.*06062b06010502050100/);
    for (const t of c.tokensIn.slice(0, -1)) expect(t, why).toMatch(/^0501300ca10a04084d49542e54455354/);
    expect(c.tokensIn.at(-1), why).toMatch(/^60.*06062b06010502050200/);

    // Our initiator wrapped three KDC requests; gss-server sent three to the KDC; krb5kdc logged three.
    const wrapped = events.filter(
      (e) => e.direction === 'out' && (e.type === 'as-req' || e.type === 'tgs-req'),
    );
    expect(
      wrapped.map((e) => e.type),
      why,
    ).toEqual(['as-req', 'as-req', 'tgs-req']);
    const serverSends = serverTrace.split('\n').filter((l) => l.includes('Sending request ('));
    expect(serverSends, why).toHaveLength(3);
    for (const l of serverSends) expect(l, why).toContain(`to ${k.realm}`);
    expect(serverTrace, why).toContain(`127.0.0.1:${k.port}`);
    const requests = kdcLog.split('\n').filter((l) => /(AS|TGS)_REQ/.test(l));
    expect(requests, why).toHaveLength(3);
    expect(requests[0], why).toMatch(
      /AS_REQ .* NEEDED_PREAUTH: alice@MIT\.TEST for krbtgt\/MIT\.TEST@MIT\.TEST/,
    );
    expect(requests[1], why).toMatch(/AS_REQ .* ISSUE: .*alice@MIT\.TEST for krbtgt\/MIT\.TEST@MIT\.TEST/);
    expect(requests[2], why).toMatch(/TGS_REQ .* ISSUE: .*alice@MIT\.TEST for host\/localhost@MIT\.TEST/);
    console.log(
      `our initiator → MIT gss-server -iakerb → MIT KDC (${Math.round(performance.now() - started)} ms):\n${out
        .split('\n')
        .filter((l) => /Accepted connection|Received message/.test(l))
        .join('\n')}\n${requests.join('\n')}`,
    );
  }, 60_000);
});
