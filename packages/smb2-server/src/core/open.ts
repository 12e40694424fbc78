/**
 * Opens (MS-SMB2 §3.3.1.10): what a CREATE returned, keyed by its FileId in the session's
 * open table, with the per-open state the file commands keep (position, mode, the directory
 * enumeration's resume point). A `PipeOpen` is a named pipe opened on IPC$ (srvsvc).
 */
import type { FileId } from '@postntlm/smb2-protocol';
import type { FileInfo, OpenHandle, ShareBackend } from '../backend/index.js';
import type { RpcPipe } from '../rpc/index.js';
import type { Oplock } from './oplock.js';
import { fileOpensOf } from './oplock-files.js';

export class Open {
  /** FilePositionInformation (kept for the client; I/O always carries its offset). */
  position = 0n;
  /** FileModeInformation. */
  mode: number;
  /** The backend index of the last directory entry returned (QUERY_DIRECTORY continues after it). */
  resumeAfter: number | undefined;
  /** A QUERY_DIRECTORY scan has started (its pattern holds until RESTART_SCANS / REOPEN). */
  scanning = false;
  /** The oplock CREATE granted (./oplock.ts); undefined: none was ever granted. */
  oplock: Oplock | undefined;

  constructor(
    readonly fileId: FileId,
    readonly treeId: number,
    readonly backend: ShareBackend,
    readonly handle: OpenHandle,
    readonly createOptions: number,
  ) {
    this.mode = createOptions & MODE_BITS;
  }

  get isDirectory(): boolean {
    return this.handle.isDirectory;
  }
  get grantedAccess(): number {
    return this.handle.grantedAccess;
  }
}

/** A named pipe opened on an IPC$ tree: the DCE/RPC endpoint behind it. */
export class PipeOpen {
  /** The RPC layer refused the client's bytes: only CLOSE is left (STATUS_PIPE_DISCONNECTED). */
  disconnected = false;

  constructor(
    readonly fileId: FileId,
    readonly treeId: number,
    /** The pipe name as opened, lower case, without a leading backslash (`srvsvc`). */
    readonly name: string,
    readonly pipe: RpcPipe,
    readonly grantedAccess: number,
  ) {}
}

/**
 * The NTFS quota index, `$Extend\$Quota:$Q:$INDEX_ALLOCATION`, opened on a disk share: a
 * handle with no file behind it, through which clients ask for quota information
 * (../handlers/quota-file.ts).
 */
export class QuotaOpen {
  constructor(
    readonly fileId: FileId,
    readonly treeId: number,
    readonly grantedAccess: number,
  ) {}
}

/** The CreateOptions bits FileModeInformation reports (MS-FSCC §2.4.26). */
export const MODE_BITS = 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00001000;

/** All 0xFF: "the FileId of the previous CREATE" in a related compound (§3.3.5.2.7.2). */
export const isAnyFileId = (id: FileId): boolean =>
  id.persistent === 0xffffffffffffffffn && id.volatile === 0xffffffffffffffffn;

/** An open table: FileIds allocated here, looked up by their volatile part. */
export class OpenTable {
  readonly #opens = new Map<bigint, Open | PipeOpen | QuotaOpen>();
  #next = 1n;

  get size(): number {
    return this.#opens.size;
  }

  #newId(): FileId {
    const persistent = this.#next++;
    for (;;) {
      const random = crypto.getRandomValues(new Uint8Array(8));
      const volatile = (new DataView(random.buffer).getBigUint64(0, true) & 0x7fffffffffffffffn) | 1n;
      if (!this.#opens.has(volatile)) return { persistent, volatile };
    }
  }

  add(treeId: number, backend: ShareBackend, handle: OpenHandle, createOptions: number): Open {
    const open = new Open(this.#newId(), treeId, backend, handle, createOptions);
    this.#opens.set(open.fileId.volatile, open);
    return open;
  }

  /** A named pipe open on an IPC$ tree. */
  addPipe(treeId: number, name: string, pipe: RpcPipe, grantedAccess: number): PipeOpen {
    const open = new PipeOpen(this.#newId(), treeId, name, pipe, grantedAccess);
    this.#opens.set(open.fileId.volatile, open);
    return open;
  }

  /** The quota index opened on a disk tree. */
  addQuota(treeId: number, grantedAccess: number): QuotaOpen {
    const open = new QuotaOpen(this.#newId(), treeId, grantedAccess);
    this.#opens.set(open.fileId.volatile, open);
    return open;
  }

  /** The quota-index open with this FileId on `treeId`, or undefined. */
  getQuota(id: FileId, treeId: number): QuotaOpen | undefined {
    const o = this.getAny(id, treeId);
    return o instanceof QuotaOpen ? o : undefined;
  }

  /** The file open with this FileId (both parts must match) on `treeId`, or undefined. */
  get(id: FileId, treeId: number): Open | undefined {
    const o = this.getAny(id, treeId);
    return o instanceof Open ? o : undefined;
  }

  /** The pipe open with this FileId on `treeId`, or undefined. */
  getPipe(id: FileId, treeId: number): PipeOpen | undefined {
    const o = this.getAny(id, treeId);
    return o instanceof PipeOpen ? o : undefined;
  }

  /** The open (file, pipe or quota index) with this FileId on `treeId`, or undefined. */
  getAny(id: FileId, treeId: number): Open | PipeOpen | QuotaOpen | undefined {
    const o = this.#opens.get(id.volatile);
    return o !== undefined && o.fileId.persistent === id.persistent && o.treeId === treeId ? o : undefined;
  }

  delete(open: Open | PipeOpen | QuotaOpen): void {
    this.#opens.delete(open.fileId.volatile);
  }

  /**
   * Removes and closes a file open; then (once the backend has let go of the file) its oplock
   * goes and a CREATE waiting on its break proceeds.
   */
  async close(open: Open): Promise<FileInfo> {
    this.#opens.delete(open.fileId.volatile);
    try {
      return await open.backend.close(open.handle);
    } finally {
      fileOpensOf(open.backend).remove(open);
      open.oplock?.release();
    }
  }

  /** Removes and closes every open (of one tree, or all), ignoring errors. */
  async closeAll(treeId?: number): Promise<void> {
    for (const o of [...this.#opens.values()]) {
      if (treeId !== undefined && o.treeId !== treeId) continue;
      this.#opens.delete(o.fileId.volatile);
      if (o instanceof Open) await this.close(o).catch(() => {});
    }
  }
}
