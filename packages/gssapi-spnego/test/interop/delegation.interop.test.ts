/**
 * Delegation with MIT 1.20: `gss-client -d` forwards alice's TGT to our acceptor, which
 * decrypts the KRB-CRED into a Credential for krbtgt/MIT.TEST; our initiator forwards a TGT
 * (a forwarded TGT from our krb5-client) to `gss-server`, which reports GSS_C_DELEG_FLAG.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { findFreePort, kinit, type MitKdc, useMitKdc } from '@postntlm/interop';
import { getInitialCredentials, getServiceTicket, loadKrb5Config } from '@postntlm/krb5-client';
import { readKeytab } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import {
  encodeGssSampleFrame,
  GssSampleFlags,
  type GssSampleFrame,
  GssSampleFrameReader,
  Krb5Acceptor,
  Krb5Initiator,
  type SecurityContext,
} from '../../src/index.js';

const kdc = useMitKdc();

function frames(socket: Socket): () => Promise<GssSampleFrame> {
  const reader = new GssSampleFrameReader();
  const ready: GssSampleFrame[] = [];
  const waiting: ((f: GssSampleFrame) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const f of reader.push(new Uint8Array(chunk))) {
      const w = waiting.shift();
      if (w) w(f);
      else ready.push(f);
    }
  });
  return () => {
    const f = ready.shift();
    return f ? Promise.resolve(f) : new Promise((resolve) => waiting.push(resolve));
  };
}

function run(k: MitKdc, cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(cmd, args, { env: { ...process.env, ...k.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('delegation with MIT', () => {
  it('gss-client -d → our acceptor: the forwarded TGT arrives as a Credential', async () => {
    const k = kdc();
    expect((await kinit(k, 'alice', k.passwords.alice!)).code).toBe(0);
    const keytab = readKeytab(new Uint8Array(await readFile(k.files.serviceKeytab)));
    const port = await findFreePort();
    let ctx: SecurityContext | undefined;
    const server = createServer((socket) => {
      const next = frames(socket);
      const acceptor = new Krb5Acceptor({ keytab });
      void (async () => {
        for (;;) {
          const f = await next();
          if (f.flags & GssSampleFlags.CONTEXT_NEXT) continue;
          if (f.flags === GssSampleFlags.CONTEXT) {
            const step = acceptor.step(f.token);
            if (step.outputToken)
              socket.write(encodeGssSampleFrame(GssSampleFlags.CONTEXT, step.outputToken));
            if (step.error) {
              socket.destroy();
              return;
            }
            ctx = step.context;
          } else if (f.flags & GssSampleFlags.DATA) {
            const opened = ctx!.unwrap(f.token);
            socket.write(encodeGssSampleFrame(GssSampleFlags.MIC, ctx!.getMic(opened.message)));
          } else {
            socket.end();
            return;
          }
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const { code, out } = await run(k, 'gss-client', [
      '-port',
      String(port),
      '-krb5',
      '-d',
      '127.0.0.1',
      'host@localhost',
      'deleg',
    ]);
    server.close();
    console.log(`gss-client -d output:\n${out}`);
    expect(code).toBe(0);
    expect(out).toContain('Signature verified.');
    const [tgt] = ctx!.delegatedCredentials!;
    expect(tgt!.server.name.nameString).toEqual(['krbtgt', 'MIT.TEST']);
    expect(tgt!.client).toMatchObject({ realm: 'MIT.TEST', name: { nameString: ['alice'] } });
  }, 60_000);

  it('our initiator delegates a forwarded TGT → gss-server reports GSS_C_DELEG_FLAG', async () => {
    const k = kdc();
    const config = await loadKrb5Config(k.files.krb5Conf);
    const tgt = await getInitialCredentials({
      client: 'alice',
      config,
      credentials: { password: k.passwords.alice! },
      options: { forwardable: true },
    });
    const ticket = await getServiceTicket({ tgt, server: 'host/localhost', config });
    const forwarded = await getServiceTicket({
      tgt,
      server: 'krbtgt/MIT.TEST',
      config,
      options: { forwarded: true },
    });
    const port = await findFreePort();
    const server = run(k, 'gss-server', [
      '-port',
      String(port),
      '-once',
      '-keytab',
      k.files.serviceKeytab,
      'host@localhost',
    ]);
    let socket: Socket | undefined;
    for (let i = 0; i < 100 && socket === undefined; i++) {
      socket = await new Promise<Socket | undefined>((resolve) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', () => resolve(undefined));
      });
      if (socket === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    const s = socket!;
    const next = frames(s);
    const initiator = new Krb5Initiator({ credential: ticket, delegate: forwarded });
    s.write(encodeGssSampleFrame(GssSampleFlags.NOOP | GssSampleFlags.CONTEXT_NEXT));
    s.write(encodeGssSampleFrame(GssSampleFlags.CONTEXT, initiator.step().outputToken!));
    const done = initiator.step((await next()).token);
    expect(done.error).toBeUndefined();
    const msg = new TextEncoder().encode('delegated');
    s.write(encodeGssSampleFrame(0xe4, done.context!.wrap(msg)));
    done.context!.verifyMic(msg, (await next()).token);
    s.end(encodeGssSampleFrame(GssSampleFlags.NOOP));
    const { out } = await server;
    console.log(`gss-server output:\n${out}`);
    expect(out).toContain('context flag: GSS_C_DELEG_FLAG');
    expect(out).toContain('Accepted connection: "alice@MIT.TEST"');
  }, 60_000);
});
