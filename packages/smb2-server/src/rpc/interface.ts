import type { SyntaxId } from './uuid.js';

/** What an interface's method returned: response stub data, a fault status, or "no such opnum". */
export type RpcInvokeResult =
  | { readonly stub: Uint8Array }
  | { readonly fault: number }
  | { readonly opnumOutOfRange: true };

/**
 * One RPC interface served over a connection. `invoke` gets the reassembled NDR stub of a
 * request; an {@link RpcError} it throws becomes a bad-stub-data FAULT.
 */
export interface RpcInterface {
  readonly name: string;
  /** Abstract syntax: UUID and version (major in the low 16 bits). */
  readonly syntax: SyntaxId;
  invoke(opnum: number, stub: Uint8Array): RpcInvokeResult;
}
