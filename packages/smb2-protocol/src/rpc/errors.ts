/**
 * What went wrong while decoding or handling DCE/RPC bytes. Every failure of this layer is an
 * {@link RpcError}: callers (the SMB named-pipe glue) map it to an SMB status and may close
 * the pipe; anything the peer can be told about in-band becomes a FAULT or BIND_NAK PDU instead.
 */
export type RpcErrorCode =
  /** Fewer bytes than a field needs. */
  | 'truncated'
  /** A field holds a value the format does not allow (version, lengths, counts). */
  | 'malformed'
  /** Well formed, but not something this implementation handles (drep, PDU type). */
  | 'unsupported'
  /** NDR stub data that does not decode. */
  | 'ndr'
  /** The peer broke the connection-oriented protocol in a way that has no in-band answer. */
  | 'protocol'
  /** FSCTL_PIPE_TRANSCEIVE while a previous response is still unread (STATUS_PIPE_BUSY). */
  | 'pipe-busy'
  /** Too much unread output or input is buffered. */
  | 'overflow';

export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: RpcErrorCode;

  constructor(code: RpcErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
