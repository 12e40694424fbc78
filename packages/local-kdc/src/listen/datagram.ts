/** Serves a UDP socket: one request per datagram, one reply datagram (RFC 4120 §7.2.1). */
import type { Socket as UdpSocket } from 'node:dgram';
import { answer, type ServeContext } from './serve.js';

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
    answer(ctx, request, { transport: 'udp', peer: `${rinfo.address}:${rinfo.port}` })
      .then((reply) => {
        if (reply === null) return;
        socket.send(reply, rinfo.port, rinfo.address);
        c.replies++;
      })
      .catch(() => {
        // The socket was closed while the request was being answered.
      })
      .finally(() => ctx.inFlight.release());
  });
}
