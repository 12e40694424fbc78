/**
 * Acceptance (issue 5, lines 1 and 2, krb5 mechanism): MIT's gss-sample programs against
 * our contexts, over the gss-sample framing, with tickets from a throw-away MIT KDC.
 *  - MIT `gss-client -krb5` (ticket from `kinit`) → our acceptor: context, wrapped message,
 *    our MIC back, and gss-client prints "Signature verified."
 *  - our initiator (tickets from our krb5-client against the MIT KDC) → MIT `gss-server`:
 *    it prints `Accepted connection: "alice@MIT.TEST"` and the message; we verify its MIC.
 *    With SPNEGO also re-negotiated: an OID MIT does not know goes first, MIT picks krb5
 *    (request-mic) and the mechListMICs cross both ways (RFC 4178 §5).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { Oid } from '@postntlm/der-asn1';
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
  SpnegoAcceptor,
  SpnegoInitiator,
} from '../../src/index.js';

const MODES = ['krb5', 'spnego'] as const;

const kdc = useMitKdc();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Reads frames from a socket one at a time. */
function frameQueue(socket: Socket): () => Promise<GssSampleFrame> {
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

function runCommand(
  k: MitKdc,
  cmd: string,
  args: string[],
): { done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(cmd, args, { env: { ...process.env, ...k.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out })),
  );
  return { done };
}

describe.each(MODES)('MIT gss-client -%s → our acceptor', (mode) => {
  it('establishes the context, unwraps the message, and gss-client prints "Signature verified."', async () => {
    const k = kdc();
    expect((await kinit(k, 'alice', k.passwords.alice!)).code).toBe(0);
    const keytab = readKeytab(new Uint8Array(await readFile(k.files.serviceKeytab)));
    const port = await findFreePort();
    let accepted: SecurityContext | undefined;
    let message = '';
    let listening: () => void = () => {};
    const isListening = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const served = new Promise<void>((resolve, reject) => {
      const server = createServer((socket) => {
        const next = frameQueue(socket);
        const options = { keytab, principal: 'host/localhost@MIT.TEST' };
        const acceptor = mode === 'krb5' ? new Krb5Acceptor(options) : new SpnegoAcceptor(options);
        (async () => {
          for (;;) {
            const frame = await next();
            if (frame.flags & GssSampleFlags.CONTEXT_NEXT) continue; // announce (0x11)
            if (frame.flags === GssSampleFlags.CONTEXT) {
              const step = acceptor.step(frame.token);
              if (step.error) {
                socket.destroy();
                server.close();
                throw new Error(
                  `acceptor failed on ${Buffer.from(frame.token.subarray(0, 40)).toString('hex')}`,
                  {
                    cause: step.error,
                  },
                );
              }
              if (step.outputToken)
                socket.write(encodeGssSampleFrame(GssSampleFlags.CONTEXT, step.outputToken));
              accepted = step.context;
            } else if (frame.flags & GssSampleFlags.DATA) {
              const opened = accepted!.unwrap(frame.token);
              message = text(opened.message);
              socket.write(encodeGssSampleFrame(GssSampleFlags.MIC, accepted!.getMic(opened.message)));
            } else if (frame.flags === GssSampleFlags.NOOP) {
              socket.end();
              server.close();
              return;
            }
          }
        })().then(resolve, reject);
      });
      server.listen(port, '127.0.0.1', listening);
    });
    await isListening;
    const client = runCommand(k, 'gss-client', [
      '-port',
      String(port),
      `-${mode}`, // -spnego: SPNEGO restricted to krb5 (gss_set_neg_mechs)
      '127.0.0.1',
      'host@localhost',
      'hello from MIT',
    ]);
    const { code, out } = await client.done;
    console.log(`gss-client output:\n${out}`);
    // The acceptor's own outcome (null = finished cleanly), without leaving a rejection unhandled.
    const failure = await Promise.race([
      served.then(
        () => null,
        (error: unknown) => error,
      ),
      new Promise((resolve) => setTimeout(() => resolve(new Error('acceptor did not finish')), 5000)),
    ]);
    expect(failure).toBeNull();
    expect(code).toBe(0);
    expect(out).toContain('Signature verified.');
    expect(message).toBe('hello from MIT');
    expect(accepted!.client).toMatchObject({ realm: 'MIT.TEST', name: { nameString: ['alice'] } });
    expect(accepted!.acceptorSubkey).toBeDefined();
  }, 60_000);
});

/** An OID MIT does not know, offered first: MIT picks krb5 and both sides exchange mechListMICs. */
const UNKNOWN_MECH = '1.3.6.1.4.1.55555.1.1';

describe.each([...MODES, 'spnego-renegotiated'] as const)('our %s initiator → MIT gss-server', (mode) => {
  it('gss-server prints Accepted connection: "alice@MIT.TEST" and the message; its MIC verifies', async () => {
    const k = kdc();
    const config = await loadKrb5Config(k.files.krb5Conf);
    const tgt = await getInitialCredentials({
      client: 'alice',
      config,
      credentials: { password: k.passwords.alice! },
    });
    const ticket = await getServiceTicket({ tgt, server: 'host/localhost', config });
    const port = await findFreePort();
    const server = runCommand(k, 'gss-server', [
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
    expect(socket).toBeDefined();
    const s = socket!;
    const next = frameQueue(s);
    const initiator =
      mode === 'krb5'
        ? new Krb5Initiator({ credential: ticket })
        : mode === 'spnego'
          ? new SpnegoInitiator({ credential: ticket })
          : new SpnegoInitiator({ credential: ticket, mechTypes: [UNKNOWN_MECH, Oid.krb5] });
    s.write(encodeGssSampleFrame(GssSampleFlags.NOOP | GssSampleFlags.CONTEXT_NEXT));
    let step = initiator.step();
    s.write(encodeGssSampleFrame(GssSampleFlags.CONTEXT, step.outputToken!));
    while (!step.done) {
      const reply = await next();
      step = initiator.step(reply.token);
      expect(step.error).toBeUndefined();
      if (step.outputToken) s.write(encodeGssSampleFrame(GssSampleFlags.CONTEXT, step.outputToken));
    }
    const ctx = step.context!;
    const msg = new TextEncoder().encode('hello from PostNTLM');
    const flags =
      GssSampleFlags.DATA | GssSampleFlags.WRAPPED | GssSampleFlags.ENCRYPTED | GssSampleFlags.SEND_MIC;
    s.write(encodeGssSampleFrame(flags, ctx.wrap(msg)));
    const mic = await next();
    expect(mic.flags).toBe(GssSampleFlags.MIC);
    ctx.verifyMic(msg, mic.token);
    s.end(encodeGssSampleFrame(GssSampleFlags.NOOP));
    const { out } = await server.done;
    console.log(`gss-server output:\n${out}`);
    expect(out).toContain('Accepted connection: "alice@MIT.TEST"');
    if (mode !== 'krb5') expect(out).not.toContain('GSS-API error');
    expect(out).toContain('hello from PostNTLM');
    expect(ctx.acceptorSubkey).toBeDefined();
  }, 60_000);
});
