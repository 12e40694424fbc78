/**
 * The gss-sample session (MIT krb5's gss-client / gss-server, gss-misc.c) spoken by our
 * IAKerb contexts, and what the interop tests need around the MIT programs:
 *  - `serveIakerb`: a one-connection gss-sample server on 127.0.0.1 that drives an
 *    `IakerbAcceptor`, unwraps the client's message and answers with a MIC of it;
 *  - `runIakerbClient`: the gss-sample client side over a connected socket, driving an
 *    `IakerbInitiator`, wrapping a message and verifying the server's MIC;
 *  - `tempDir`, `deadKdcProfile`, `readText`, `KDC_CONTACT`.
 * (The MIT programs themselves run with `spawnDaemon` / `waitForListen` / `exitWithin` of
 * @postntlm/interop.)
 * Session: C→S 0x11 empty, CONTEXT (0x02) tokens both ways until established, C→S 0xE4
 * wrap token, S→C 0x08 MIC of the message, C→S 0x01 empty.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ContextStep,
  encodeGssSampleFrame,
  GssSampleFlags,
  type GssSampleFrame,
  GssSampleFrameReader,
  type SecurityContext,
} from '@postntlm/gssapi-spnego';
import { LOOPBACK } from '@postntlm/interop';
import type { IakerbAcceptor, IakerbInitiator } from '../../src/index.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** gss-client's data frame: DATA | WRAPPED | ENCRYPTED | SEND_MIC (0xE4). */
export const WRAPPED_DATA =
  GssSampleFlags.DATA | GssSampleFlags.WRAPPED | GssSampleFlags.ENCRYPTED | GssSampleFlags.SEND_MIC;

/** Frames of one socket, one at a time; rejects once the socket has ended or failed. */
export function frameQueue(socket: Socket): () => Promise<GssSampleFrame> {
  const reader = new GssSampleFrameReader();
  const ready: GssSampleFrame[] = [];
  const waiting: { resolve: (f: GssSampleFrame) => void; reject: (e: Error) => void }[] = [];
  let ended: Error | undefined;
  socket.on('data', (chunk: Buffer) => {
    let frames: GssSampleFrame[];
    try {
      frames = reader.push(new Uint8Array(chunk));
    } catch (e) {
      socket.destroy(e as Error);
      return;
    }
    for (const f of frames) {
      const w = waiting.shift();
      if (w) w.resolve(f);
      else ready.push(f);
    }
  });
  const end = (e: Error): void => {
    ended ??= e;
    for (const w of waiting.splice(0)) w.reject(ended);
  };
  socket.on('error', (e) => end(e));
  socket.on('close', () => end(new Error('the peer closed the connection')));
  return () => {
    const f = ready.shift();
    if (f) return Promise.resolve(f);
    if (ended) return Promise.reject(ended);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

/** Whether a frame carries a context token (gss-server accepts flags without CONTEXT_NEXT). */
const isContext = (f: GssSampleFrame): boolean =>
  (f.flags & GssSampleFlags.CONTEXT) !== 0 && (f.flags & GssSampleFlags.NOOP) === 0;

/** What our gss-sample server saw of its one session. */
export interface ServedSession {
  readonly acceptor: IakerbAcceptor;
  readonly context: SecurityContext;
  /** The client's message, unwrapped. */
  readonly message: string;
  /** Context tokens received (hex), in order. */
  readonly tokensIn: readonly string[];
  /** Context tokens sent (hex), in order. */
  readonly tokensOut: readonly string[];
}

export interface IakerbSampleServer {
  readonly port: number;
  /** The session's outcome; rejects with the acceptor's error (the connection is then closed). */
  readonly session: Promise<ServedSession>;
  /** Closes the listener and any connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * A gss-sample server on 127.0.0.1 (a free port) for ONE connection, driving the acceptor
 * `makeAcceptor()` returns: context tokens, then unwrap of the 0xE4 message and our MIC
 * (flags 0x08) of it, then the client's NOOP ends the session.
 */
export async function serveIakerb(makeAcceptor: () => IakerbAcceptor): Promise<IakerbSampleServer> {
  const sockets = new Set<Socket>();
  let settle: { resolve: (s: ServedSession) => void; reject: (e: unknown) => void } | undefined;
  const session = new Promise<ServedSession>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Never an unhandled rejection: the test awaits `session` when it wants the outcome.
  session.catch(() => {});
  let taken = false;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (taken) {
      socket.destroy();
      return;
    }
    taken = true;
    drive(socket, makeAcceptor()).then(
      (s) => settle?.resolve(s),
      (e: unknown) => {
        socket.destroy();
        settle?.reject(e);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    session,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        settle?.reject(new Error('the gss-sample server was closed before the session ended'));
      });
      return closing;
    },
  };
}

async function drive(socket: Socket, acceptor: IakerbAcceptor): Promise<ServedSession> {
  const next = frameQueue(socket);
  const tokensIn: string[] = [];
  const tokensOut: string[] = [];
  let context: SecurityContext | undefined;
  let message: string | undefined;
  for (;;) {
    const frame = await next();
    if (frame.flags === (GssSampleFlags.NOOP | GssSampleFlags.CONTEXT_NEXT)) continue; // announce
    if (isContext(frame)) {
      tokensIn.push(hex(frame.token));
      const step: ContextStep = await acceptor.step(frame.token);
      if (step.error !== undefined) {
        throw new Error(
          `IakerbAcceptor failed on context token ${tokensIn.length} (${hex(frame.token.subarray(0, 48))}…): ${step.error.message}`,
          { cause: step.error },
        );
      }
      if (step.outputToken !== undefined) {
        tokensOut.push(hex(step.outputToken));
        socket.write(encodeGssSampleFrame(GssSampleFlags.CONTEXT, step.outputToken));
      }
      if (step.done) context = step.context;
      continue;
    }
    if ((frame.flags & GssSampleFlags.DATA) !== 0) {
      if (context === undefined) throw new Error('data before the context was established');
      const opened = context.unwrap(frame.token);
      message = text(opened.message);
      if ((frame.flags & GssSampleFlags.SEND_MIC) !== 0) {
        socket.write(encodeGssSampleFrame(GssSampleFlags.MIC, context.getMic(opened.message)));
      }
      continue;
    }
    if (frame.flags === GssSampleFlags.NOOP) {
      socket.end();
      if (context === undefined || message === undefined) throw new Error('NOOP before context and message');
      return { acceptor, context, message, tokensIn, tokensOut };
    }
    throw new Error(`unexpected gss-sample frame flags 0x${frame.flags.toString(16)}`);
  }
}

/** Connects to 127.0.0.1:`port` (one attempt; the caller made sure something listens). */
export function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, LOOPBACK, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** What our gss-sample client did. */
export interface ClientSession {
  readonly context: SecurityContext;
  /** Context tokens sent (hex), in order. */
  readonly tokensOut: readonly string[];
  /** Context tokens received (hex), in order. */
  readonly tokensIn: readonly string[];
  /** The server's MIC over the message verified (verifyMic throws otherwise). */
  readonly micVerified: boolean;
}

/**
 * The gss-client side of the session over `socket`: announce, context tokens until the
 * initiator is done, the message wrapped (0xE4), the server's MIC verified, NOOP, end.
 */
export async function runIakerbClient(
  socket: Socket,
  initiator: IakerbInitiator,
  message: string,
): Promise<ClientSession> {
  const next = frameQueue(socket);
  const tokensOut: string[] = [];
  const tokensIn: string[] = [];
  socket.write(encodeGssSampleFrame(GssSampleFlags.NOOP | GssSampleFlags.CONTEXT_NEXT));
  let step = await initiator.step();
  for (let round = 0; ; round++) {
    if (step.error !== undefined) {
      throw new Error(
        `IakerbInitiator failed after ${tokensIn.length} acceptor tokens: ${step.error.message}`,
        {
          cause: step.error,
        },
      );
    }
    if (step.outputToken !== undefined) {
      tokensOut.push(hex(step.outputToken));
      socket.write(encodeGssSampleFrame(GssSampleFlags.CONTEXT, step.outputToken));
    }
    if (step.done) break;
    if (round > 30) throw new Error('too many context rounds');
    const reply = await next();
    if (!isContext(reply))
      throw new Error(`expected a context token, got flags 0x${reply.flags.toString(16)}`);
    tokensIn.push(hex(reply.token));
    step = await initiator.step(reply.token);
  }
  const context = step.context;
  if (context === undefined) throw new Error('the initiator finished without a context');
  const bytes = new TextEncoder().encode(message);
  socket.write(encodeGssSampleFrame(WRAPPED_DATA, context.wrap(bytes)));
  const mic = await next();
  if (mic.flags !== GssSampleFlags.MIC)
    throw new Error(`expected a MIC frame, got flags 0x${mic.flags.toString(16)}`);
  context.verifyMic(bytes, mic.token);
  await new Promise<void>((resolve) =>
    socket.end(encodeGssSampleFrame(GssSampleFlags.NOOP), () => resolve()),
  );
  return { context, tokensOut, tokensIn, micVerified: true };
}

/** A fresh temp directory, and its removal (POSTNTLM_INTEROP_KEEP=1 keeps it). */
export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    async remove() {
      if (process.env.POSTNTLM_INTEROP_KEEP === '1') {
        process.stderr.write(`interop: kept ${dir}\n`);
        return;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The port nothing listens on (discard): a client profile naming only it can reach no KDC. */
export const DEAD_KDC = '127.0.0.1:9';

/** Writes DIR/NAME.conf: default realm `realm`, its only KDC the dead port, localhost in `realm`. */
export async function deadKdcProfile(dir: string, name: string, realm: string): Promise<string> {
  const path = join(dir, `${name}.conf`);
  await writeFile(
    path,
    [
      '[libdefaults]',
      `  default_realm = ${realm}`,
      '  dns_lookup_kdc = false',
      '  dns_lookup_realm = false',
      '  dns_canonicalize_hostname = false',
      '  rdns = false',
      `  default_ccache_name = FILE:${join(dir, `${name}.ccache`)}`,
      `  default_keytab_name = FILE:${join(dir, 'none.keytab')}`,
      '[realms]',
      `  ${realm} = {`,
      `    kdc = ${DEAD_KDC}`,
      '  }',
      '[domain_realm]',
      `  localhost = ${realm}`,
      '',
    ].join('\n'),
  );
  return path;
}

/** A file's text, or '' when it does not exist (a trace MIT never opened). */
export const readText = (file: string): Promise<string> => readFile(file, 'utf8').catch(() => '');

/** Trace lines of MIT's sendto_kdc: any of them means the process itself talked to a KDC. */
export const KDC_CONTACT =
  /Sending request \(|Sending initial (UDP|TCP) request|Initiating TCP connection|Sending TCP request/;
