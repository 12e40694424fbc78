/** Serves a UDP socket: one request per datagram, one reply datagram (RFC 4120 §7.2.1). */
import type { SocketOptions, Socket as UdpSocket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { answer, type ServeContext } from './serve.js';

/**
 * The `lookup` for the KDC's UDP sockets. A reply goes to the request's source address, an
 * IP literal: Node's `dgram` resolves the destination of every `send` through `lookup`,
 * and the default one defers even a literal to the next tick. This answers a literal at
 * once (the same address and family) and leaves anything else to `dns.lookup`.
 */
export const literalLookup = ((address: string, options: unknown, callback: LookupCallback): void => {
  const family = isIP(address);
  if (family !== 0) {
    callback(null, address, family);
    return;
  }
  (dnsLookup as (host: string, options: unknown, cb: LookupCallback) => void)(address, options, callback);
}) as NonNullable<SocketOptions['lookup']>;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** Starts answering datagrams that arrive on `socket`. */
export function serveDatagrams(ctx: ServeContext, socket: UdpSocket): void {
  const c = ctx.counters;
  socket.on('error', () => undefined);
  socket.on('message', (msg, rinfo) => {
    // UDP has no way to push back: anything over a limit is dropped and the client retransmits.
    if (msg.length > ctx.kdc.policy.maxRequestBytes) {
      c.dropped['too-large']++;
      return;
    }
    if (ctx.allow !== undefined && !ctx.allow(rinfo.address, Date.now())) {
      c.dropped['rate-limited']++;
      return;
    }
    if (!ctx.inFlight.tryAcquire()) {
      c.dropped['in-flight-limit']++;
      return;
    }
    const request = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
    void reply(ctx, socket, request, rinfo.address, rinfo.port);
  });
}

/** Answers one datagram and sends the reply (if any) back; releases the in-flight slot. */
async function reply(
  ctx: ServeContext,
  socket: UdpSocket,
  request: Uint8Array,
  address: string,
  port: number,
): Promise<void> {
  try {
    const out = await answer(ctx, request, { transport: 'udp', peer: `${address}:${port}` });
    if (out === null) return;
    socket.send(out, port, address);
    ctx.counters.replies++;
  } catch {
    // The socket was closed while the request was being answered.
  } finally {
    ctx.inFlight.release();
  }
}
