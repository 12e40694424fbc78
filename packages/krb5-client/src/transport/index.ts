/**
 * KDC transports (RFC 4120 §7.2): UDP, TCP and (MIT 1.22) UNIX stream sockets, each one
 * request/reply exchange with a timeout, an AbortSignal and a bounded reply size.
 * Node-only (node:dgram, node:net).
 */
export {
  KdcAbortedError,
  KdcConnectionClosedError,
  KdcConnectionRefusedError,
  KdcFramingError,
  KdcNetworkError,
  type KdcProtocol,
  KdcReplyTooLargeError,
  KdcTimeoutError,
  KdcTransportError,
} from './errors.js';
export {
  FramedReplyReader,
  type FramingProblem,
  frameKdcMessage,
  MAX_FRAMED_LENGTH,
  TcpTransport,
  type TcpTransportOptions,
  UnixTransport,
  type UnixTransportOptions,
} from './stream.js';
export {
  DEFAULT_MAX_DATAGRAM_REPLY_BYTES,
  DEFAULT_MAX_STREAM_REPLY_BYTES,
  DEFAULT_TIMEOUT_MS,
  type KdcSendOptions,
  type KdcTransport,
} from './types.js';
export { type HostLookup, MAX_UDP_PAYLOAD, UdpTransport, type UdpTransportOptions } from './udp.js';
