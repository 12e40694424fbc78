/**
 * RFC 4120 §7.2.1 KDC messages over UDP: the request is one datagram, the reply is the
 * first datagram from the KDC. The socket is connected, so the kernel drops datagrams from
 * any other address and reports ICMP port-unreachable as ECONNREFUSED.
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  KdcConnectionRefusedError,
  KdcFramingError,
  KdcNetworkError,
  KdcReplyTooLargeError,
} from './errors.js';
import { checkPort } from './stream.js';
import {
  checkLimit,
  checkRequest,
  DEFAULT_MAX_DATAGRAM_REPLY_BYTES,
  errnoCode,
  hostPort,
  type KdcSendOptions,
  type KdcTransport,
  runExchange,
  toUint8Array,
} from './types.js';

/** Largest UDP payload over IPv4 (65535 - 20 - 8); over IPv6 one more is not worth the difference. */
export const MAX_UDP_PAYLOAD = 65507;

/** Resolves a host name to one address (default: node:dns/promises `lookup`). */
export type HostLookup = (host: string) => Promise<{ address: string; family: number }>;

export interface UdpTransportOptions {
  readonly host: string;
  /** Default 88. */
  readonly port?: number;
  /** Largest reply accepted (default 65535: any datagram). */
  readonly maxReplyBytes?: number;
  /** Name resolution for host names (IP literals are used as they are). */
  readonly lookup?: HostLookup;
}

const defaultLookup: HostLookup = (host) => dnsLookup(host);

/** RFC 4120 §7.2.1 KDC exchange over UDP. */
export class UdpTransport implements KdcTransport {
  readonly protocol = 'udp' as const;
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly maxReplyBytes: number;
  private readonly lookup: HostLookup;

  constructor(options: UdpTransportOptions) {
    this.host = options.host;
    this.port = checkPort(options.port ?? 88);
    this.maxReplyBytes = checkLimit(options.maxReplyBytes, DEFAULT_MAX_DATAGRAM_REPLY_BYTES, 65535);
    this.lookup = options.lookup ?? defaultLookup;
    this.address = `udp/${hostPort(this.host, this.port)}`;
  }

  send(request: Uint8Array, options?: KdcSendOptions): Promise<Uint8Array> {
    const { address, protocol } = this;
    try {
      checkRequest(request, address, protocol);
    } catch (error) {
      return Promise.reject(error);
    }
    if (request.length === 0) return Promise.reject(new KdcFramingError(address, protocol, 'empty request'));
    if (request.length > MAX_UDP_PAYLOAD) {
      return Promise.reject(
        new KdcFramingError(
          address,
          protocol,
          `request of ${request.length} bytes does not fit in a datagram`,
        ),
      );
    }
    return runExchange<Uint8Array>(address, protocol, options, (exchange) => {
      let socket: Socket | undefined;
      exchange.onSettle(() => {
        if (socket !== undefined) {
          socket.removeAllListeners('message');
          socket.close();
        }
      });
      const open = (ip: string, family: number): void => {
        if (exchange.settled) return;
        try {
          connectAndSend(ip, family);
        } catch (error) {
          exchange.fail(
            new KdcNetworkError(address, protocol, errnoCode(error), String(error), { cause: error }),
          );
        }
      };
      const connectAndSend = (ip: string, family: number): void => {
        const s = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
        socket = s;
        s.on('error', (error: Error) => {
          const code = errnoCode(error);
          if (code === 'ECONNREFUSED')
            exchange.fail(new KdcConnectionRefusedError(address, protocol, { cause: error }));
          else exchange.fail(new KdcNetworkError(address, protocol, code, error.message, { cause: error }));
        });
        s.on('message', (message: Uint8Array) => {
          // An empty datagram is no reply; keep waiting for one.
          if (message.length === 0) return;
          if (message.length > this.maxReplyBytes) {
            exchange.fail(new KdcReplyTooLargeError(address, protocol, message.length, this.maxReplyBytes));
            return;
          }
          exchange.succeed(toUint8Array(message));
        });
        // The callback gets the connect error (and no 'error' event is emitted for it).
        s.connect(this.port, ip, (error?: Error) => {
          if (exchange.settled) return;
          if (error != null) {
            s.emit('error', error);
            return;
          }
          try {
            s.send(request, (sendError) => {
              if (sendError != null) s.emit('error', sendError);
            });
          } catch (sendError) {
            s.emit('error', sendError);
          }
        });
      };
      const family = isIP(this.host);
      if (family !== 0) {
        open(this.host, family);
        return;
      }
      this.lookup(this.host).then(
        (r) => open(r.address, r.family),
        (error: unknown) =>
          exchange.fail(
            new KdcNetworkError(address, protocol, errnoCode(error), `cannot resolve ${this.host}`, {
              cause: error,
            }),
          ),
      );
    });
  }
}
