/**
 * A DCE/RPC client over an SMB2 named pipe (MS-RPCE §2.1.1.2, MS-SMB2 §3.2.4.20.1): each
 * call is one FSCTL_PIPE_TRANSCEIVE (request in, response out); a response larger than the
 * IOCTL's output comes back with STATUS_BUFFER_OVERFLOW and the rest is read with READ.
 * Responses may span several fragments (PFC_FIRST_FRAG … PFC_LAST_FRAG), whose stubs are
 * joined. The PDU codecs are smb2-protocol's (shared with the server).
 */
import {
  AccessMask,
  CreateDisposition,
  decodeRpcPdu,
  encodeRpcBind,
  encodeRpcRequest,
  type FileId,
  Fsctl,
  IoctlFlags,
  ioctlRequest,
  ioctlResponse,
  NDR20_SYNTAX,
  NtStatus,
  RPC_CONTEXT_RESULT,
  RPC_PFC,
  RpcError,
  type RpcSyntaxId,
} from '@postntlm/smb2-protocol';
import { concatBytes } from '../bytes.js';
import { callOnTree, type TreeContext } from '../tree/context.js';
import { readChunk } from '../tree/io.js';
import { closeFile, openPath } from '../tree/open.js';

/** Largest PDU we take in one transceive (one credit's worth). */
const MAX_OUTPUT = 65_536;
const MAX_RESPONSE = 16 * 1024 * 1024;

export class RpcPipeClient {
  #callId = 1;

  private constructor(
    private readonly tree: TreeContext,
    private readonly fileId: FileId,
  ) {}

  /** Opens `\PIPE\name` on an IPC$ tree and binds `syntax` over NDR 2.0. */
  static async open(
    tree: TreeContext,
    name: string,
    syntax: RpcSyntaxId,
    signal?: AbortSignal,
  ): Promise<RpcPipeClient> {
    const file = await openPath(
      tree,
      name,
      {
        desiredAccess:
          AccessMask.FILE_READ_DATA |
          AccessMask.FILE_WRITE_DATA |
          AccessMask.FILE_APPEND_DATA |
          AccessMask.FILE_READ_EA |
          AccessMask.FILE_WRITE_EA |
          AccessMask.FILE_READ_ATTRIBUTES |
          AccessMask.FILE_WRITE_ATTRIBUTES |
          AccessMask.READ_CONTROL |
          AccessMask.SYNCHRONIZE,
        disposition: CreateDisposition.OPEN,
      },
      signal,
    );
    const pipe = new RpcPipeClient(tree, file.fileId);
    try {
      const ack = decodeRpcPdu(
        await pipe.#transceive(
          encodeRpcBind({
            callId: pipe.#callId++,
            contexts: [{ contextId: 0, abstractSyntax: syntax, transferSyntaxes: [NDR20_SYNTAX] }],
          }),
          signal,
        ),
      );
      if (ack.type !== 'bind_ack')
        throw new RpcError('protocol', `the server answered the BIND with ${ack.type}`);
      if (ack.results[0]?.result !== RPC_CONTEXT_RESULT.acceptance)
        throw new RpcError('protocol', `the server refused the ${syntax.uuid} presentation context`);
      return pipe;
    } catch (e) {
      await pipe.close().catch(() => undefined);
      throw e;
    }
  }

  /** One call: the response's stub data (RpcError for a FAULT). */
  async call(opnum: number, stub: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const callId = this.#callId++;
    let bytes = await this.#transceive(encodeRpcRequest({ callId, contextId: 0, opnum, stub }), signal);
    const stubs: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const fragLength = bytes.length >= 10 ? (bytes[8] as number) | ((bytes[9] as number) << 8) : 0;
      if (fragLength === 0 || fragLength > bytes.length) {
        // The fragment continues in the pipe: read more of it.
        const more = await readChunk(this.tree, this.fileId, 0, MAX_OUTPUT, signal);
        if (more.length === 0) throw new RpcError('truncated', 'the pipe ended inside a response fragment');
        bytes = concatBytes([bytes, more]);
        continue;
      }
      const pdu = decodeRpcPdu(bytes.subarray(0, fragLength));
      if (pdu.type === 'fault')
        throw new RpcError('protocol', `RPC fault 0x${pdu.status.toString(16)} for opnum ${opnum}`);
      if (pdu.type !== 'response' || pdu.header.callId !== callId)
        throw new RpcError('protocol', `expected the response to call ${callId}, got ${pdu.type}`);
      stubs.push(pdu.stub);
      total += pdu.stub.length;
      if (total > MAX_RESPONSE) throw new RpcError('overflow', 'response larger than 16 MiB');
      bytes = bytes.subarray(fragLength);
      if ((pdu.header.flags & RPC_PFC.lastFrag) !== 0) return concatBytes(stubs);
      if (bytes.length === 0) bytes = await readChunk(this.tree, this.fileId, 0, MAX_OUTPUT, signal);
    }
  }

  async close(): Promise<void> {
    await closeFile(this.tree, this.fileId);
  }

  /** FSCTL_PIPE_TRANSCEIVE; what does not fit the output is read with READ until the PDU is whole. */
  async #transceive(input: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const response = await callOnTree(
      this.tree,
      {
        codec: ioctlRequest,
        body: {
          ctlCode: Fsctl.PIPE_TRANSCEIVE,
          fileId: this.fileId,
          input,
          maxInputResponse: 0,
          output: new Uint8Array(0),
          maxOutputResponse: MAX_OUTPUT,
          flags: IoctlFlags.IS_FSCTL,
        },
        responseCodec: ioctlResponse,
        signal,
      },
      'pipe transceive',
      [NtStatus.SUCCESS, NtStatus.BUFFER_OVERFLOW],
    );
    return response.body.output;
  }
}
