import { RpcPipe } from './pipe.js';
import { type SrvsvcOptions, srvsvcInterface } from './srvsvc.js';

export interface SrvsvcPipeOptions extends SrvsvcOptions {
  /** BIND_ACK secondary address. Default `\PIPE\srvsvc` (as Windows sends it). */
  readonly secondaryAddress?: string;
  /** Upper bound for negotiated fragment sizes. Default 4280. */
  readonly maxFragment?: number;
  /** assoc_group_id when the client asks for a new group. */
  readonly assocGroupId?: number;
}

/**
 * The `srvsvc` named pipe of IPC$: DCE/RPC over message-mode pipe I/O, serving SRVSVC
 * (NetrShareEnum, NetrShareGetInfo, NetrServerGetInfo).
 *
 * ```ts
 * const pipe = new SrvsvcPipe({ serverName: 'FILES', shares: () => [
 *   { name: 'docs', type: STYPE_DISKTREE, remark: 'Documents' },
 *   { name: 'IPC$', type: STYPE_IPC, remark: 'Remote IPC' },
 * ] });
 * pipe.write(bindPdu);            // SMB2 WRITE
 * const r = pipe.read(4280);      // SMB2 READ → r.data, r.overflow (STATUS_BUFFER_OVERFLOW)
 * pipe.transceive(request, 1024); // FSCTL_PIPE_TRANSCEIVE
 * ```
 */
export class SrvsvcPipe extends RpcPipe {
  constructor(options: SrvsvcPipeOptions) {
    super({
      interfaces: [srvsvcInterface(options)],
      secondaryAddress: options.secondaryAddress ?? '\\PIPE\\srvsvc',
      ...(options.maxFragment === undefined ? {} : { maxFragment: options.maxFragment }),
      ...(options.assocGroupId === undefined ? {} : { assocGroupId: options.assocGroupId }),
    });
  }
}
