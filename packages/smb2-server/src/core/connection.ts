/**
 * One client connection (MS-SMB2 §3.3.5): Direct TCP frames in, each decrypted when it is a
 * transform, split into its compounded messages, each checked (signature) and answered by
 * its command's handler; the answers joined, signed or encrypted, and framed back. Session
 * commands (NEGOTIATE, SESSION_SETUP with Kerberos and IAKerb through SPNEGO, never NTLM,
 * LOGOFF, TREE_CONNECT, TREE_DISCONNECT, ECHO) are handled here; the file commands by
 * src/handlers/* over the share's backend (on IPC$: named pipes, src/handlers/pipe.ts). Related compounds (§3.3.5.2.7.2): SessionId,
 * TreeId and an all-0xFF FileId stand for the previous request's, and an error propagates
 * down the chain. A handler's answer may go async (./async.ts, §3.3.4.2): STATUS_PENDING now,
 * the final response later (a blocking LOCK, CHANGE_NOTIFY); CANCEL (no response) stops one.
 * Every request first uses its MessageIds from the credit window (./credits.ts) and passes the
 * session checks (`refusal`: signature, expiry, tree); sessions re-authenticate and replace a
 * PreviousSessionId (./session-registry.ts); ./connection-guard.ts enforces the timeouts and
 * backpressure of `SmbServerOptions.limits`.
 */
import type { Socket } from 'node:net';
import { SpnegoAcceptor } from '@postntlm/gssapi-spnego';
import { createSpnegoAcceptor } from '@postntlm/iakerb';
import {
  type BodyCodec,
  type ChangeNotifyRequest,
  CipherId,
  type CloseRequest,
  Command,
  type CreateRequest,
  Dialect,
  DirectTcpFrameReader,
  DirectTcpFramer,
  dateToFiletime,
  decodeMessage,
  decodeTransform,
  decryptMessagePaced,
  directTcpHeader,
  echoResponse,
  encodeMessage,
  encodeReadResponseHeaderOnly,
  encryptMessage,
  encryptMessagePartsPaced,
  type FileId,
  type FlushRequest,
  FramePool,
  findNegotiateContext,
  frameDirectTcp,
  GlobalCapabilities,
  HeaderFlags,
  type IoctlRequest,
  isTransformFrame,
  joinCompound,
  type LockRequest,
  logoffResponse,
  type NegotiateContext,
  type NegotiateRequest,
  NtStatus,
  negotiateResponse,
  OPLOCK_BREAK_MESSAGE_ID,
  type OplockBreakRequest,
  oplockBreakNotification,
  PreauthHash,
  type QueryDirectoryRequest,
  type QueryInfoRequest,
  Reader,
  type ReadRequest,
  type ReadResponse,
  readHeader,
  SecurityMode,
  SessionFlags,
  type SessionSetupRequest,
  type SetInfoRequest,
  ShareFlags,
  ShareType,
  SigningAlgorithmId,
  type Smb2Header,
  SmbDecodeError,
  sessionSetupResponse,
  signMessage,
  splitCompound,
  type TreeConnectRequest,
  treeConnectResponse,
  treeDisconnectResponse,
  verifySignature,
  type WriteRequest,
} from '@postntlm/smb2-protocol';
import { handleChangeNotify } from '../handlers/change-notify.js';
import { handleClose } from '../handlers/close.js';
import { type Answer, fail, type HandlerContext, ok, statusOf } from '../handlers/common.js';
import { handleCreate } from '../handlers/create.js';
import { handleFlush } from '../handlers/flush.js';
import { handleIoctl } from '../handlers/ioctl.js';
import { handleLock } from '../handlers/lock.js';
import { handleOplockBreak } from '../handlers/oplock-break.js';
import { handleQueryDirectory } from '../handlers/query-directory.js';
import { handleQueryInfo } from '../handlers/query-info.js';
import { handleRead } from '../handlers/read.js';
import { handleSetInfo } from '../handlers/set-info.js';
import { handleWrite } from '../handlers/write.js';
import { isSignedMessage, PendingOperations, toAsyncResponse } from './async.js';
import { ConnectionGuard } from './connection-guard.js';
import { CreditWindow } from './credits.js';
import { adoptWithInPlaceReads } from './in-place-reads.js';
import type { ServerContext } from './server-context.js';
import { type Negotiated, Session, type Tree } from './session.js';

export type { ServerContext } from './server-context.js';

/** The READ response's fixed part alone (StructureSize 17, DataOffset 0x50): the data follows it. */
const READ_RESPONSE_FIXED: BodyCodec<Omit<ReadResponse, 'data'> & { dataLength: number }> = {
  command: Command.READ,
  response: true,
  name: 'READ Response',
  encode: (v, w) => encodeReadResponseHeaderOnly(v, v.dataLength, w),
  decode: () => {
    throw new Error('encode only');
  },
};

/**
 * A turn of the event loop between slices of AES-GCM on a large message, so the socket keeps
 * sending the previous reply and reading the next request meanwhile.
 */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Encrypted messages this big go to the GCM worker (smaller ones cost more to hand over). */
const OFFLOAD_MIN_BYTES = 256 * 1024;
const inSharedMemory = (b: Uint8Array): boolean =>
  typeof SharedArrayBuffer === 'function' && b.buffer instanceof SharedArrayBuffer;

/** Lone READs/WRITEs one connection has in flight at once (each holds up to a MaxWriteSize frame). */
const MAX_INFLIGHT_IO = 8;

/** A frame the GCM worker began to decrypt as it arrived (Connection.openEarly). */
interface EarlyOpening {
  readonly session: Session;
  readonly plain: Promise<Uint8Array>;
}

/** A frame that is one READ or WRITE request (not a compound): its I/O may overlap the next frames'. */
function isLoneReadOrWrite(frame: Uint8Array): boolean {
  if (frame.length < 64 || frame[0] !== 0xfe || frame[1] !== 0x53 || frame[2] !== 0x4d || frame[3] !== 0x42)
    return false;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const command = view.getUint16(12, true);
  return (command === Command.READ || command === Command.WRITE) && view.getUint32(20, true) === 0;
}

const DEFAULT_DIALECTS = [
  Dialect.SMB_3_1_1,
  Dialect.SMB_3_0_2,
  Dialect.SMB_3_0,
  Dialect.SMB_2_1,
  Dialect.SMB_2_0_2,
];
const CIPHER_PREFERENCE = [
  CipherId.AES_128_GCM,
  CipherId.AES_256_GCM,
  CipherId.AES_128_CCM,
  CipherId.AES_256_CCM,
];
const SIGNING_PREFERENCE = [
  SigningAlgorithmId.AES_GMAC,
  SigningAlgorithmId.AES_CMAC,
  SigningAlgorithmId.HMAC_SHA256,
];
const NTLMSSP = new TextEncoder().encode('NTLMSSP\0');
const FULL_ACCESS = 0x001f01ff;
const READ_ACCESS = 0x001200a9;

/** The state a compound carries from one request to the next (§3.3.5.2.7). */
interface CompoundState {
  /** The session the previous request found (0: none), for a related request. */
  sessionId: bigint;
  /** The tree the previous request found (0: none), for a related request. */
  treeId: number;
  fileId: FileId | undefined;
  /** How a CREATE of this compound failed: the related requests after it fail the same way. */
  createStatus: number;
}

/** Thrown to drop the connection (a protocol violation there is no response to). */
class ProtocolViolation extends Error {}

/** Async operations one connection may have pending at once (beyond: cancelled at once). */
const MAX_PENDING = 1024;
const isErrorStatus = (s: number) => s >>> 0 >= 0xc0000000;
/** Commands that need no session (§3.3.5.2.9 applies to the others). */
const SESSIONLESS_COMMANDS: ReadonlySet<number> = new Set([
  Command.NEGOTIATE,
  Command.SESSION_SETUP,
  Command.ECHO,
  Command.CANCEL,
]);
/** What an expired session may still do (§3.3.5.2.9; ECHO and CANCEL need no session). */
const EXPIRED_SESSION_COMMANDS: ReadonlySet<number> = new Set([Command.LOGOFF, Command.CLOSE, Command.LOCK]);
/** Commands handled by src/handlers (need a valid session and a tree). */
const FILE_COMMANDS: ReadonlySet<number> = new Set([
  Command.CREATE,
  Command.CLOSE,
  Command.FLUSH,
  Command.READ,
  Command.WRITE,
  Command.LOCK,
  Command.IOCTL,
  Command.QUERY_DIRECTORY,
  Command.CHANGE_NOTIFY,
  Command.QUERY_INFO,
  Command.SET_INFO,
  Command.OPLOCK_BREAK,
]);
/** Commands that name a tree (TreeId). */
const TREE_COMMANDS: ReadonlySet<number> = new Set([...FILE_COMMANDS, Command.TREE_DISCONNECT]);

export class SmbConnection {
  private readonly framer: DirectTcpFramer;
  private negotiated: Negotiated | undefined;
  private readonly preauth = new PreauthHash();
  private readonly sessions = new Map<bigint, Session>();
  private queue: Promise<void> = Promise.resolve();
  /** Requests answered STATUS_PENDING and not yet completed. */
  private readonly pending = new PendingOperations();
  private nextTreeId = 1;
  /** The MessageId window and the credits granted (§3.3.1.2). */
  private readonly credits: CreditWindow;
  /** MessageIds whose interim (STATUS_PENDING) response granted the credits. */
  private readonly creditedAsync = new Set<bigint>();
  /** Idle and authentication timeouts, and the socket's backpressure. */
  private readonly guard: ConnectionGuard;
  /** Replies built around a READ's data, with 4 free bytes before them for the Direct TCP header. */
  private readonly builtInPlace = new WeakSet<Uint8Array>();
  private readonly framePool: FramePool;
  /** Lone READs and WRITEs being answered (handleFrame), at most MAX_INFLIGHT_IO. */
  private readonly inflightIo = new Set<Promise<void>>();
  /**
   * The encrypted replies being made, sent one after the other in the order answered. On the
   * event loop they are also sealed in turn (in slices, two at once would finish together, and
   * the first later than it could); the GCM worker takes each as soon as it is answered.
   */
  private sealing: Promise<unknown> = Promise.resolve();
  readonly peer: string;

  /** The connection's socket (for an accepted one paused on connect: re-made to read in place). */
  readonly socket: Socket;

  /**
   * @param accepted the client's socket; when it was accepted with `pauseOnConnect` and has
   *   read nothing, its reads go straight into frame buffers (./in-place-reads.ts) and
   *   `socket` is the socket that now carries the connection.
   */
  constructor(
    accepted: Socket,
    private readonly server: ServerContext,
  ) {
    this.peer = `${accepted.remoteAddress ?? '?'}:${accepted.remotePort ?? '?'}`;
    this.framePool = server.framePool ?? new FramePool(1 << 20, 0);
    const pool = this.framePool;
    const maxFrame = (server.options.maxIoSize ?? 8 << 20) + 64 * 1024;
    this.framer = new DirectTcpFramer(maxFrame, { allocate: (n) => pool.allocate(n) });
    const reader = new DirectTcpFrameReader(maxFrame, (n) => pool.allocate(n));
    const inPlace = adoptWithInPlaceReads(accepted, {
      buffer: () => reader.buffer(),
      callback: (n) => this.receiveFrames(() => reader.filled(n)),
    });
    const socket = inPlace ?? accepted;
    this.socket = socket;
    this.credits = new CreditWindow(server.limits.maxCredits);
    this.guard = new ConnectionGuard(socket, server.limits, {
      authenticated: () => [...this.sessions.values()].some((s) => s.state === 'valid'),
      busy: () => this.pending.size > 0 || [...this.sessions.values()].some((s) => s.opens.size > 0),
    });
    if (inPlace === undefined)
      socket.on('data', (chunk: Buffer) =>
        this.receiveFrames(() => {
          this.framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          const frames: Uint8Array[] = [];
          for (let f = this.framer.next(); f !== undefined; f = this.framer.next()) frames.push(f);
          return frames;
        }),
      );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.pending.cancelWhere();
      // The opens close once the READs and WRITEs in flight are done with their files.
      this.queue = this.queue
        .then(() => Promise.all(this.inflightIo))
        .then(() => this.closeAll())
        .catch(() => {});
    });
    // A socket paused on connect starts reading only now, with every handler in place.
    socket.resume();
  }

  /** Closes every open of every session (the connection went away). */
  private async closeAll(): Promise<void> {
    this.guard.stop();
    for (const session of this.sessions.values()) {
      this.server.sessions.delete(session);
      await session.opens.closeAll();
    }
    this.sessions.clear();
  }

  /** Ends a session (LOGOFF, a failed re-authentication, a reconnect replacing it): its opens closed, its id unknown. */
  private async endSession(session: Session): Promise<void> {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    this.server.sessions.delete(session);
    this.pending.cancelWhere((op) => op.sessionId === session.id);
    await session.opens.closeAll();
  }

  /**
   * Queues the frames `cut` returns (the bytes just received, framed); false (stop reading)
   * and the connection dropped when they cannot be framed.
   */
  private receiveFrames(cut: () => Uint8Array[]): boolean {
    try {
      for (const f of cut()) {
        this.guard.received();
        const early = this.openEarly(f);
        this.queue = this.queue
          .then(() => this.handleFrame(f, early))
          .catch(() => {
            this.socket.destroy();
          })
          .finally(() => this.guard.answered());
      }
      return true;
    } catch {
      this.socket.destroy();
      return false;
    }
  }

  /**
   * A big encrypted frame (a WRITE) of a session that has its keys goes to the GCM worker as
   * it arrives, so the worker already holds the next one when it finishes one; handleFrame
   * takes the plaintext in its turn. Anything else is decrypted there, in order.
   */
  private openEarly(frame: Uint8Array): EarlyOpening | undefined {
    const offload = this.server.gcmOffload;
    const cipher = this.negotiated?.cipher;
    if (offload === undefined || cipher === undefined || frame.length < OFFLOAD_MIN_BYTES) return undefined;
    if (!inSharedMemory(frame) || !isTransformFrame(frame)) return undefined;
    let sessionId: bigint;
    try {
      sessionId = decodeTransform(frame).header.sessionId;
    } catch {
      return undefined;
    }
    const session = this.sessions.get(sessionId);
    const key = session?.keys?.clientToServerKey;
    if (session === undefined || key === undefined) return undefined;
    const plain = offload.open(frame, key, cipher);
    plain.catch(() => undefined);
    return { session, plain };
  }

  private async handleFrame(frame: Uint8Array, early?: EarlyOpening): Promise<void> {
    let plain = frame;
    let encryptedFor: Session | undefined;
    if (isTransformFrame(frame)) {
      const { header } = decodeTransform(frame);
      const session = this.sessions.get(header.sessionId);
      const key = session?.keys?.clientToServerKey;
      // An early opening used the keys of the session then; it must still be that session.
      if (
        session === undefined ||
        key === undefined ||
        this.negotiated?.cipher === undefined ||
        (early !== undefined && early.session !== session)
      ) {
        this.socket.destroy();
        return;
      }
      // Over the frame's own ciphertext: the frame is ours, and the plaintext stays in cache.
      // A big one in shared memory goes to the GCM worker; the event loop keeps serving.
      const offload = this.server.gcmOffload;
      plain =
        early !== undefined
          ? await early.plain
          : offload !== undefined && frame.length >= OFFLOAD_MIN_BYTES && inSharedMemory(frame)
            ? await offload.open(frame, key, this.negotiated.cipher)
            : await decryptMessagePaced(frame, key, this.negotiated.cipher, { inPlace: true, between: turn });
      encryptedFor = session;
    }
    // A lone READ or WRITE is answered while the next frames are read: its checks (credits,
    // signature, session, open, locks) run now, in order, and only its file I/O overlaps theirs
    // (SMB2 orders nothing between outstanding requests, §3.3.5.2). Any other frame first waits
    // for those in flight, so CLOSE, FLUSH, LOGOFF and the like see every earlier I/O done.
    if (isLoneReadOrWrite(plain)) {
      while (this.inflightIo.size >= MAX_INFLIGHT_IO) await Promise.race(this.inflightIo);
      const io: Promise<void> = this.answerFrame(plain, encryptedFor)
        .catch(() => {
          this.socket.destroy();
        })
        .finally(() => {
          this.inflightIo.delete(io);
          // Answered: nothing holds a view of the request any more (WRITE data went to the file).
          this.framePool.release(frame);
          if (plain !== frame) this.framePool.release(plain);
        });
      this.inflightIo.add(io);
      return;
    }
    if (this.inflightIo.size > 0) await Promise.all(this.inflightIo);
    await this.answerFrame(plain, encryptedFor);
  }

  /** Every message of a (decrypted) frame in order, then the replies as one frame. */
  private async answerFrame(plain: Uint8Array, encryptedFor: Session | undefined): Promise<void> {
    const replies: Uint8Array[] = [];
    const signers: (Session | undefined)[] = [];
    let encryptReply = encryptedFor;
    const compound: CompoundState = {
      sessionId: 0n,
      treeId: 0,
      fileId: undefined,
      createStatus: NtStatus.SUCCESS,
    };
    for (const span of splitCompound(plain)) {
      // A view: the frame is this connection's own (the framer's copy, or the decrypted plaintext).
      const message = plain.subarray(span.start, span.end);
      const { reply, session } = await this.handleMessage(message, encryptedFor !== undefined, compound);
      if (reply === undefined) continue;
      replies.push(reply);
      signers.push(session);
      // A session that encrypts everything encrypts its answers, but not a SESSION_SETUP
      // response to an unencrypted request: the client takes the keys from it (§3.3.4.1.4).
      const sessionSetup =
        new DataView(reply.buffer, reply.byteOffset).getUint16(12, true) === Command.SESSION_SETUP;
      if (
        encryptReply === undefined &&
        session?.encrypt === true &&
        session.state === 'valid' &&
        !sessionSetup
      )
        encryptReply = session;
    }
    if (replies.length === 0) return;
    const single = replies.length === 1 ? replies[0] : undefined;
    let out: Uint8Array;
    if (single !== undefined) out = single;
    else {
      totalCreditsOnLast(replies);
      out = joinCompound(replies);
      this.resignCompound(out, signers);
    }
    // READ data read into pooled memory goes back to the pool once nothing refers to it: after
    // the socket has sent it, or at once when it was copied (a compound) or encrypted.
    const pooled = replies.filter((r) => this.builtInPlace.has(r));
    const releasePooled = () => {
      for (const r of pooled) this.framePool.release(r);
    };
    if (encryptReply?.keys?.serverToClientKey !== undefined && this.negotiated?.cipher !== undefined) {
      // Sealed over the reply itself (built here, never read again): no new memory per READ.
      const options = {
        cipher: this.negotiated.cipher,
        key: encryptReply.keys.serverToClientKey,
        sessionId: encryptReply.id,
        message: out,
        inPlace: true,
      };
      // The worker gets its job now (it then holds the next reply when it finishes one); the
      // sealed replies still go out one after another, in the order answered.
      const offload = this.server.gcmOffload;
      const offloaded =
        offload !== undefined && out.length >= OFFLOAD_MIN_BYTES && inSharedMemory(out)
          ? offload.seal(options)
          : undefined;
      offloaded?.catch(() => undefined);
      const sealed = this.sealing.then(
        () => offloaded ?? encryptMessagePartsPaced(options, { between: turn }),
      );
      this.sealing = sealed.catch(() => {});
      const parts = await sealed;
      // The ciphertext is in the pooled READ memory: it goes back once the socket has sent it.
      this.guard.writeParts(
        [directTcpHeader(parts.reduce((n, p) => n + p.length, 0)), ...parts],
        releasePooled,
      );
    } else if (single !== undefined && pooled.length === 1) {
      // A READ built around its data (replyInPlace): the Direct TCP header goes in front, no copy.
      const frame = new Uint8Array(single.buffer, single.byteOffset - 4, single.length + 4);
      frame.set(directTcpHeader(single.length));
      this.guard.write(frame, releasePooled);
    } else {
      releasePooled();
      this.guard.writeParts([directTcpHeader(out.length), out]);
    }
  }

  private async handleMessage(
    message: Uint8Array,
    encrypted: boolean,
    compound: CompoundState,
  ): Promise<{ reply: Uint8Array | undefined; session: Session | undefined }> {
    let decoded: ReturnType<typeof decodeMessage>;
    try {
      // WRITE data stays a view of the frame, straight to the file.
      decoded = decodeMessage(message, undefined, { view: true });
    } catch (e) {
      if (!(e instanceof SmbDecodeError)) throw e;
      // A readable header with a malformed body gets INVALID_PARAMETER; an unreadable header, nothing.
      let header: Smb2Header;
      try {
        header = readHeader(new Reader(message));
      } catch {
        throw e;
      }
      this.useCredits(header);
      const session = this.sessions.get(header.sessionId);
      return {
        reply: this.reply(header, fail(header.command, NtStatus.INVALID_PARAMETER), session),
        session,
      };
    }
    const { body } = decoded;
    let header = decoded.header;
    if ((header.flags & HeaderFlags.SERVER_TO_REDIR) !== 0) return { reply: undefined, session: undefined };
    this.useCredits(header);
    // CANCEL has no response (§3.3.5.16).
    if (header.command === Command.CANCEL) {
      this.cancelRequest(header, message, encrypted);
      return { reply: undefined, session: undefined };
    }
    // A related request takes the SessionId and TreeId of the one before it (§3.3.5.2.7.2),
    // whatever its own header says (as Windows and Samba): those the previous request found.
    const related = (header.flags & HeaderFlags.RELATED_OPERATIONS) !== 0;
    if (!related) {
      compound.fileId = undefined;
      compound.createStatus = NtStatus.SUCCESS;
    }
    let session = this.sessions.get(related ? compound.sessionId : header.sessionId);
    const tree = session?.trees.get(related ? compound.treeId : (header.treeId ?? 0));
    // The response echoes the request's own ids where the previous ones found nothing.
    if (related)
      header = {
        ...header,
        sessionId: session?.id ?? header.sessionId,
        treeId: tree?.id ?? header.treeId ?? 0,
      };
    compound.sessionId = session === undefined ? 0n : session.id;
    compound.treeId = tree === undefined ? 0 : tree.id;

    const refusal = this.refusal(header, message, encrypted, session, tree, compound);
    if (refusal !== undefined) {
      if (refusal.status === NtStatus.NETWORK_SESSION_EXPIRED && header.command === Command.CREATE)
        compound.createStatus = refusal.status;
      // A request that failed its signature check is not answered signed.
      const signer = refusal.unverified ? undefined : session;
      return { reply: this.reply(header, fail(header.command, refusal.status), signer), session: signer };
    }

    let answer: Answer;
    switch (header.command) {
      case Command.NEGOTIATE:
        answer = this.negotiate(message, body as NegotiateRequest);
        break;
      case Command.SESSION_SETUP: {
        const r = await this.sessionSetup(header, message, body as SessionSetupRequest);
        answer = r.answer;
        session = r.session;
        break;
      }
      case Command.ECHO:
        answer = ok(echoResponse, {});
        break;
      case Command.LOGOFF:
        answer =
          session === undefined
            ? fail(header.command, NtStatus.USER_SESSION_DELETED)
            : ok(logoffResponse, {});
        break;
      case Command.TREE_CONNECT:
        answer = await this.treeConnect(session, body as TreeConnectRequest);
        break;
      case Command.TREE_DISCONNECT:
        if (session?.trees.delete(header.treeId ?? 0) === true) {
          await session.opens.closeAll(header.treeId ?? 0);
          this.pending.cancelWhere((op) => op.sessionId === session?.id && op.treeId === header.treeId);
          answer = ok(treeDisconnectResponse, {});
        } else {
          answer = fail(header.command, NtStatus.NETWORK_NAME_DELETED);
        }
        break;
      default:
        if (session?.state !== 'valid') answer = fail(header.command, NtStatus.USER_SESSION_DELETED);
        else if (!FILE_COMMANDS.has(header.command)) answer = fail(header.command, NtStatus.NOT_SUPPORTED);
        else if (tree === undefined) answer = fail(header.command, NtStatus.NETWORK_NAME_DELETED);
        else answer = await this.fileCommand(header, body, session, tree, compound);
    }
    if (answer.async !== undefined) {
      if (session !== undefined && this.pending.size < MAX_PENDING && header.nextCommand === 0)
        return { reply: this.startAsync(header, answer, session, encrypted), session };
      // Only the last request of a compound goes async: Windows fails one in the middle with
      // STATUS_INTERNAL_ERROR (§3.3.5.2.7, note <206>; smbtorture smb2.compound.interim2).
      // Beyond MAX_PENDING: INSUFFICIENT_RESOURCES. The operation is stopped either way.
      answer.async.cancel('cancel');
      answer = fail(
        header.command,
        header.nextCommand !== 0 ? NtStatus.INTERNAL_ERROR : NtStatus.INSUFFICIENT_RESOURCES,
      );
    }
    // Only a failed CREATE fails the related requests after it (§3.3.5.2.7.2, as Windows and
    // Samba: a failed WRITE does not fail the READ after it).
    if (header.command === Command.CREATE && isErrorStatus(answer.status))
      compound.createStatus = answer.status;
    if (answer.fileId !== undefined) compound.fileId = answer.fileId;
    if (answer.treeId !== undefined) compound.treeId = answer.treeId;
    // The reply to an encrypted request goes back encrypted, and so unsigned (§3.3.4.1.1).
    const reply = this.reply(header, answer, session, answer.signWith, encrypted);
    // 3.1.1: the session's preauth hash takes every SESSION_SETUP response but the final one (§3.3.5.5.3).
    if (header.command === Command.SESSION_SETUP && answer.status === NtStatus.MORE_PROCESSING_REQUIRED)
      session?.preauth?.update(reply);
    // 3.1.1: the connection's preauth hash takes the NEGOTIATE request and response (§3.3.5.4).
    if (
      header.command === Command.NEGOTIATE &&
      this.negotiated?.dialect === Dialect.SMB_3_1_1 &&
      answer.status === NtStatus.SUCCESS
    ) {
      this.preauth.update(reply);
    }
    if (header.command === Command.LOGOFF && session !== undefined && answer.status === NtStatus.SUCCESS) {
      await this.endSession(session);
      this.pending.cancelWhere((op) => op.sessionId === session?.id);
    }
    return { reply, session };
  }

  /**
   * Uses the request's MessageIds (§3.3.5.2.3); one outside the credit window, or used
   * before, drops the connection.
   */
  private useCredits(header: Smb2Header): void {
    if (!this.credits.consume(header.command, header.messageId, header.creditCharge))
      throw new ProtocolViolation(`MessageId ${header.messageId} outside the credit window`);
  }

  /**
   * The checks a request passes before its command runs, in Samba's and Windows' order: the
   * session of a related request (§3.3.5.2.7.2), the signature (§3.3.5.2.4), a failed CREATE
   * earlier in the compound, the session's state (§3.3.5.2.9), the tree (§3.3.5.2.11) and its
   * encryption. The status to fail the request with, if any; `unverified` when the signature
   * did not verify.
   */
  private refusal(
    header: Smb2Header,
    message: Uint8Array,
    encrypted: boolean,
    session: Session | undefined,
    tree: Tree | undefined,
    compound: CompoundState,
  ): { status: number; unverified?: boolean } | undefined {
    const related = (header.flags & HeaderFlags.RELATED_OPERATIONS) !== 0;
    const signed = (header.flags & HeaderFlags.SIGNED) !== 0;
    // A related request with no session before it (the first of a compound, or after one
    // whose session was unknown) is malformed.
    if (related && session === undefined) return { status: NtStatus.INVALID_PARAMETER };
    if (session === undefined) {
      // A signed request of an unknown session: NEGOTIATE must not be signed at all.
      if (signed && !encrypted)
        return {
          status:
            header.command === Command.NEGOTIATE ? NtStatus.INVALID_PARAMETER : NtStatus.USER_SESSION_DELETED,
        };
    } else if (session.keys !== undefined && !encrypted) {
      // Signing is required: every request of a session with keys is signed and checked.
      const key = session.keys.signingKey;
      if (!signed || !verifySignature(message, key, this.negotiated?.signing ?? SigningAlgorithmId.AES_CMAC))
        return { status: NtStatus.ACCESS_DENIED, unverified: true };
    }
    // A session that encrypts everything (encryptAll) takes only encrypted requests (§3.3.5.2.9).
    if (session?.encrypt === true && !encrypted && header.command !== Command.SESSION_SETUP)
      return { status: NtStatus.ACCESS_DENIED };
    if (related && isErrorStatus(compound.createStatus)) return { status: compound.createStatus };
    if (!SESSIONLESS_COMMANDS.has(header.command)) {
      if (session === undefined || session.state !== 'valid')
        return { status: NtStatus.USER_SESSION_DELETED };
      // An expired session does only what winds it down, until it re-authenticates (§3.3.5.2.9).
      if (session.isExpired() && !EXPIRED_SESSION_COMMANDS.has(header.command))
        return { status: NtStatus.NETWORK_SESSION_EXPIRED };
    }
    if (TREE_COMMANDS.has(header.command)) {
      if (tree === undefined) return { status: NtStatus.NETWORK_NAME_DELETED };
      // A tree of an encrypted share takes only encrypted requests (§3.3.5.2.11).
      if (tree.encrypt && !encrypted) return { status: NtStatus.ACCESS_DENIED };
    }
    return undefined;
  }

  /** A file command of a valid session on one of its trees: its handler, exceptions mapped to NTSTATUS. */
  private async fileCommand(
    header: Smb2Header,
    body: unknown,
    session: Session,
    tree: Tree,
    compound: CompoundState,
  ): Promise<Answer> {
    const negotiated = this.negotiated;
    if (negotiated === undefined) return fail(header.command, NtStatus.INVALID_PARAMETER);
    const ctx: HandlerContext = {
      server: this.server,
      negotiated,
      header,
      session,
      tree,
      relatedFileId: (header.flags & HeaderFlags.RELATED_OPERATIONS) !== 0 ? compound.fileId : undefined,
      disconnect: () => {
        this.socket.destroy();
      },
      sendOplockBreak: (open, level) => this.sendOplockBreak(session, tree, open.fileId, level),
    };
    try {
      switch (header.command) {
        case Command.CREATE:
          // limits.maxOpensPerSession: one open more is refused before anything is opened.
          if (session.opens.size >= this.server.limits.maxOpensPerSession)
            return fail(header.command, NtStatus.INSUFFICIENT_RESOURCES);
          return await handleCreate(ctx, body as CreateRequest);
        case Command.CLOSE:
          return await handleClose(ctx, body as CloseRequest);
        case Command.FLUSH:
          return await handleFlush(ctx, body as FlushRequest);
        case Command.READ:
          return await handleRead(ctx, body as ReadRequest);
        case Command.WRITE:
          return await handleWrite(ctx, body as WriteRequest);
        case Command.LOCK:
          return await handleLock(ctx, body as LockRequest);
        case Command.IOCTL:
          return await handleIoctl(ctx, body as IoctlRequest, (d) => this.chooseDialect(d));
        case Command.QUERY_DIRECTORY:
          return await handleQueryDirectory(ctx, body as QueryDirectoryRequest);
        case Command.QUERY_INFO:
          return await handleQueryInfo(ctx, body as QueryInfoRequest);
        case Command.SET_INFO:
          return await handleSetInfo(ctx, body as SetInfoRequest);
        case Command.CHANGE_NOTIFY:
          return await handleChangeNotify(ctx, body as ChangeNotifyRequest);
        case Command.OPLOCK_BREAK:
          return handleOplockBreak(ctx, body as OplockBreakRequest);
        default:
          return fail(header.command, NtStatus.NOT_SUPPORTED);
      }
    } catch (e) {
      return fail(header.command, statusOf(e));
    }
  }

  /**
   * Registers an async operation and returns its interim response (§3.3.4.2): STATUS_PENDING
   * with the AsyncId, unsigned, granting the credits. The final response follows through the
   * frame queue (so after the interim one), with the same AsyncId and no credits.
   */
  private startAsync(header: Smb2Header, answer: Answer, session: Session, encrypted: boolean): Uint8Array {
    const work = answer.async;
    if (work === undefined) throw new Error('not an async answer');
    const op = this.pending.add({ ...header, sessionId: session.id, treeId: header.treeId ?? 0 }, work);
    const complete = (final: Answer) => {
      this.pending.remove(op);
      this.queue = this.queue
        .then(() => this.sendAsyncFinal(header, final, session, op.asyncId, encrypted))
        .catch(() => {
          this.socket.destroy();
        });
    };
    work.result.then(complete, () => complete(fail(header.command, NtStatus.INTERNAL_ERROR)));
    return toAsyncResponse(this.reply(header, answer, session), op.asyncId);
  }

  /**
   * An OPLOCK_BREAK notification (MS-SMB2 §3.3.4.6) for an open of `session`: unsolicited
   * (MessageId all 0xFF), no credits, TreeId 0, the session's id, and not signed, as Windows
   * and Samba send it; encrypted when the session or the open's tree encrypts. It goes through
   * the frame queue, so after the CREATE response that granted the oplock.
   */
  private sendOplockBreak(session: Session, tree: Tree, fileId: FileId, level: number): void {
    this.queue = this.queue
      .then(() => {
        if (this.socket.destroyed) return;
        const header: Smb2Header = {
          creditCharge: 0,
          status: NtStatus.SUCCESS,
          command: Command.OPLOCK_BREAK,
          credits: 0,
          flags: HeaderFlags.SERVER_TO_REDIR,
          nextCommand: 0,
          messageId: OPLOCK_BREAK_MESSAGE_ID,
          reserved: 0,
          treeId: 0,
          sessionId: session.id,
          signature: new Uint8Array(16),
        };
        const message = encodeMessage(header, oplockBreakNotification, { oplockLevel: level, fileId });
        const key = session.keys?.serverToClientKey;
        const cipher = this.negotiated?.cipher;
        const encrypt = (session.encrypt || tree.encrypt) && key !== undefined && cipher !== undefined;
        const out = encrypt ? encryptMessage({ cipher, key, sessionId: session.id, message }) : message;
        this.guard.write(frameDirectTcp(out));
      })
      .catch(() => {
        this.socket.destroy();
      });
  }

  /** The final response of an async operation: signed and encrypted like the session's others. */
  private sendAsyncFinal(
    header: Smb2Header,
    answer: Answer,
    session: Session,
    asyncId: bigint,
    encrypted: boolean,
  ): void {
    if (this.socket.destroyed) return;
    const standalone = { ...header, flags: header.flags & ~HeaderFlags.RELATED_OPERATIONS };
    const keys = session.keys;
    const cipher = this.negotiated?.cipher;
    const sealed =
      (encrypted || session.encrypt) && keys?.serverToClientKey !== undefined && cipher !== undefined;
    const message = this.reply(standalone, answer, session, undefined, sealed);
    const signed = isSignedMessage(message);
    toAsyncResponse(message, asyncId, 0);
    if (signed && keys !== undefined && this.negotiated !== undefined)
      signMessage(message, keys.signingKey, this.negotiated.signing);
    let out = message;
    if (sealed && keys?.serverToClientKey !== undefined && cipher !== undefined)
      out = encryptMessage({ cipher, key: keys.serverToClientKey, sessionId: session.id, message });
    this.guard.write(frameDirectTcp(out));
  }

  /**
   * CANCEL (§3.3.5.16): the pending request it names (by AsyncId, else MessageId; of the same
   * session) completes with STATUS_CANCELLED. A CANCEL that is not properly signed (or
   * encrypted) is ignored: there is no response to refuse it with.
   */
  private cancelRequest(header: Smb2Header, message: Uint8Array, encrypted: boolean): void {
    const session = this.sessions.get(header.sessionId);
    if (session?.state !== 'valid') return;
    const key = session.keys?.signingKey;
    const verified =
      encrypted ||
      ((header.flags & HeaderFlags.SIGNED) !== 0 &&
        key !== undefined &&
        verifySignature(message, key, this.negotiated?.signing ?? SigningAlgorithmId.AES_CMAC));
    if (verified) this.pending.find(header)?.work.cancel('cancel');
  }

  private chooseDialect(dialects: readonly number[]): number | undefined {
    const offered = this.server.options.dialects ?? DEFAULT_DIALECTS;
    return offered.find((d) => dialects.includes(d));
  }

  /**
   * Joining a compound sets each reply's NextCommand and pads it, which the signature covers
   * (§3.3.4.1.1: padding included): sign the signed replies again, in place, as joined.
   */
  private resignCompound(frame: Uint8Array, signers: readonly (Session | undefined)[]): void {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    splitCompound(frame).forEach((span, i) => {
      const signed = (view.getUint32(span.start + 16, true) & HeaderFlags.SIGNED) !== 0;
      const key = signers[i]?.keys?.signingKey;
      if (signed && key !== undefined && this.negotiated !== undefined) {
        signMessage(frame.subarray(span.start, span.end), key, this.negotiated.signing);
      }
    });
  }

  /**
   * The response message: header fields echoed, credits granted (§3.3.1.2), signed when the
   * session has keys (a re-authentication's SESSION_SETUP responses too, §3.3.5.5.3). A
   * response that cannot be signed (an unknown session, a signature that did not verify)
   * echoes the request's SIGNED flag and signature, as Samba does, so that a client that
   * requires signing still reads its status (STATUS_USER_SESSION_DELETED and the like).
   */
  private reply(
    request: Smb2Header,
    answer: Answer,
    session: Session | undefined,
    signWith?: Session,
    sealed = false,
  ): Uint8Array {
    const signer = signWith ?? (session?.state === 'valid' ? session : undefined);
    const echoSignature = signer?.keys === undefined && (request.flags & HeaderFlags.SIGNED) !== 0;
    const header: Smb2Header = {
      creditCharge: request.creditCharge,
      status: answer.status,
      command: request.command,
      credits: this.grantCredits(request, answer),
      flags:
        HeaderFlags.SERVER_TO_REDIR |
        (request.flags & HeaderFlags.RELATED_OPERATIONS) |
        (echoSignature ? HeaderFlags.SIGNED : 0),
      nextCommand: 0,
      messageId: request.messageId,
      reserved: request.reserved ?? 0,
      treeId: answer.treeId ?? request.treeId ?? 0,
      sessionId: session?.id ?? request.sessionId,
      signature: echoSignature ? request.signature.slice() : new Uint8Array(16),
    };
    const bytes =
      answer.bulk !== undefined
        ? this.replyInPlace(header, answer, answer.bulk)
        : encodeMessage(header, answer.codec, answer.body);
    if (!sealed && signer?.keys !== undefined && this.negotiated !== undefined) {
      signMessage(bytes, signer.keys.signingKey, this.negotiated.signing);
    }
    return bytes;
  }

  /**
   * A READ response written into the headroom before its data (handlers/read.ts: 4 + 80 free
   * bytes of a buffer of its own), so that megabytes are neither copied nor allocated again;
   * signing and the Direct TCP header then also work in place.
   */
  private replyInPlace(header: Smb2Header, answer: Answer, data: Uint8Array): Uint8Array {
    const body = answer.body as Omit<ReadResponse, 'data'>;
    const fixed = encodeMessage(header, READ_RESPONSE_FIXED, { ...body, dataLength: data.length });
    if (data.byteOffset < fixed.length + 4) throw new Error('READ data without headroom');
    const message = new Uint8Array(data.buffer, data.byteOffset - fixed.length, fixed.length + data.length);
    message.set(fixed);
    this.builtInPlace.add(message);
    return message;
  }

  /**
   * The credits of a response (§3.3.1.2). An interim STATUS_PENDING response grants them and
   * the final response of the same request none (§3.3.4.2).
   */
  private grantCredits(request: Smb2Header, answer: Answer): number {
    if (answer.async !== undefined) {
      this.creditedAsync.add(request.messageId);
      return this.credits.grant(request, answer.status);
    }
    if (this.creditedAsync.delete(request.messageId)) return this.credits.grant(request, answer.status, true);
    return this.credits.grant(request, answer.status);
  }

  private negotiate(message: Uint8Array, req: NegotiateRequest): Answer {
    if (this.negotiated !== undefined) {
      // A second NEGOTIATE on a connection is a protocol error (§3.3.5.3.1): drop the connection.
      this.socket.destroy();
      return fail(Command.NEGOTIATE, NtStatus.INVALID_PARAMETER);
    }
    const dialect = this.chooseDialect(req.dialects);
    if (dialect === undefined) return fail(Command.NEGOTIATE, NtStatus.NOT_SUPPORTED);
    const is311 = dialect === Dialect.SMB_3_1_1;
    const contexts: NegotiateContext[] = [];
    let cipher: CipherId | undefined;
    let signing: SigningAlgorithmId =
      dialect >= Dialect.SMB_3_0 ? SigningAlgorithmId.AES_CMAC : SigningAlgorithmId.HMAC_SHA256;
    if (is311) {
      contexts.push({
        kind: 'preauthIntegrity',
        hashAlgorithms: [1],
        salt: crypto.getRandomValues(new Uint8Array(32)),
      });
      const ciphers = findNegotiateContext(req.negotiateContexts, 'encryption')?.ciphers ?? [];
      cipher = CIPHER_PREFERENCE.find((c) => ciphers.includes(c));
      if (cipher !== undefined) contexts.push({ kind: 'encryption', ciphers: [cipher] });
      const algorithms = findNegotiateContext(req.negotiateContexts, 'signing')?.algorithms;
      if (algorithms !== undefined) {
        signing = SIGNING_PREFERENCE.find((a) => algorithms.includes(a)) ?? SigningAlgorithmId.AES_CMAC;
        contexts.push({ kind: 'signing', algorithms: [signing] });
      }
    } else if (dialect >= Dialect.SMB_3_0 && (req.capabilities & GlobalCapabilities.ENCRYPTION) !== 0) {
      cipher = CipherId.AES_128_CCM;
    }
    const max = this.server.options.maxIoSize ?? 8 << 20;
    const capabilities =
      (dialect >= Dialect.SMB_2_1 ? GlobalCapabilities.LARGE_MTU : 0) |
      (dialect >= Dialect.SMB_3_0 && dialect < Dialect.SMB_3_1_1 && cipher !== undefined
        ? GlobalCapabilities.ENCRYPTION
        : 0);
    const securityMode = SecurityMode.SIGNING_ENABLED | SecurityMode.SIGNING_REQUIRED;
    // Multi-credit requests (CreditCharge) come with LARGE_MTU, 2.1 and later (§3.3.5.2.3).
    this.credits.multiCredit = dialect >= Dialect.SMB_2_1;
    this.negotiated = {
      dialect,
      signing,
      cipher,
      clientGuid: req.clientGuid,
      clientCapabilities: req.capabilities,
      clientSecurityMode: req.securityMode,
      clientDialects: [...req.dialects],
      serverCapabilities: capabilities,
      serverSecurityMode: securityMode,
    };
    const answer = ok(negotiateResponse, {
      securityMode,
      dialectRevision: dialect,
      serverGuid: this.server.serverGuid,
      capabilities,
      maxTransactSize: max,
      maxReadSize: max,
      maxWriteSize: max,
      systemTime: dateToFiletime(new Date()),
      serverStartTime: 0n,
      securityBuffer: this.newAcceptor().hintToken(),
      ...(is311 ? { negotiateContexts: contexts } : {}),
    });
    if (is311) this.preauth.update(message);
    return answer;
  }

  private newAcceptor(): SpnegoAcceptor {
    const { keytab, iakerb } = this.server.options;
    const onNtlmAttempt = (offered: readonly string[]) => this.server.recordNtlm(this.peer, offered);
    if (iakerb === undefined) return new SpnegoAcceptor({ keytab, onNtlmAttempt });
    return createSpnegoAcceptor({
      keytab,
      onNtlmAttempt,
      iakerb: {
        realm: iakerb.realm,
        kdc: iakerb.kdc,
        ...(iakerb.allowedRealms === undefined ? {} : { allowedRealms: iakerb.allowedRealms }),
        peer: this.peer,
      },
    });
  }

  /**
   * SESSION_SETUP (§3.3.5.5): a new session (SessionId 0), the next leg of one under way, or a
   * re-authentication of an established one (§3.3.5.5.2: a fresh acceptor; the same principal
   * must authenticate; the keys stay, the expiry moves to the new ticket's end). A failed
   * authentication ends the session. A new session replaces the same principal's
   * PreviousSessionId (§3.3.5.5.3).
   */
  private async sessionSetup(
    header: Smb2Header,
    message: Uint8Array,
    req: SessionSetupRequest,
  ): Promise<{ answer: Answer; session: Session | undefined }> {
    const negotiated = this.negotiated;
    if (negotiated === undefined)
      return { answer: fail(Command.SESSION_SETUP, NtStatus.INVALID_PARAMETER), session: undefined };
    let session = this.sessions.get(header.sessionId);
    if (session === undefined) {
      if (header.sessionId !== 0n)
        return { answer: fail(Command.SESSION_SETUP, NtStatus.USER_SESSION_DELETED), session: undefined };
      if (this.sessions.size >= this.server.limits.maxSessionsPerConnection)
        return { answer: fail(Command.SESSION_SETUP, NtStatus.REQUEST_NOT_ACCEPTED), session: undefined };
      session = new Session(
        this.server.newId(),
        this.newAcceptor(),
        negotiated.dialect === Dialect.SMB_3_1_1 ? this.preauth : undefined,
      );
      this.sessions.set(session.id, session);
    } else if (session.state === 'valid' && !session.reauthenticating) {
      session.beginReauth(this.newAcceptor());
    }
    const reauth = session.reauthenticating;
    // A failure ends the session; a re-authenticated one still signs the answer (its keys hold).
    const refuse = async (status: number) => {
      await this.endSession(session);
      return {
        answer: { ...fail(Command.SESSION_SETUP, status), ...(reauth ? { signWith: session } : {}) },
        session: reauth ? session : undefined,
      };
    };
    if (!reauth) session.preauth?.update(message);
    if (startsWith(req.securityBuffer, NTLMSSP)) {
      this.server.recordNtlm(this.peer, ['NTLMSSP']);
      return refuse(NtStatus.LOGON_FAILURE);
    }
    const step = await session.acceptor.stepAsync(req.securityBuffer);
    if (step.error !== undefined || (!step.done && step.outputToken === undefined))
      return refuse(NtStatus.LOGON_FAILURE);
    const securityBuffer = step.outputToken ?? new Uint8Array(0);
    if (!step.done) {
      const answer: Answer = {
        status: NtStatus.MORE_PROCESSING_REQUIRED,
        codec: sessionSetupResponse as BodyCodec<unknown>,
        body: { sessionFlags: 0, securityBuffer },
      };
      return { answer, session };
    }
    const context = session.acceptor.context;
    if (context === undefined) return refuse(NtStatus.LOGON_FAILURE);
    if (reauth) {
      // Another principal cannot take over the session (§3.3.5.5.3).
      if (!session.completeReauth(context)) return refuse(NtStatus.ACCESS_DENIED);
    } else {
      session.establish(context, negotiated.dialect, negotiated.cipher);
      session.encrypt = this.server.options.encryptAll === true && negotiated.cipher !== undefined;
      const established = session;
      this.server.sessions.add({ session: established, close: () => this.endSession(established) });
      await this.server.sessions.replacePrevious(req.previousSessionId, established);
    }
    return {
      answer: {
        status: NtStatus.SUCCESS,
        codec: sessionSetupResponse as BodyCodec<unknown>,
        body: { sessionFlags: session.encrypt ? SessionFlags.ENCRYPT_DATA : 0, securityBuffer },
        signWith: session,
      },
      session,
    };
  }

  private async treeConnect(session: Session | undefined, req: TreeConnectRequest): Promise<Answer> {
    if (session?.state !== 'valid') return fail(Command.TREE_CONNECT, NtStatus.USER_SESSION_DELETED);
    const name = req.path.slice(req.path.lastIndexOf('\\') + 1);
    const ipc = name.toUpperCase() === 'IPC$';
    const share = ipc
      ? undefined
      : this.server.options.shares.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!ipc && share === undefined) return fail(Command.TREE_CONNECT, NtStatus.BAD_NETWORK_NAME);
    if (share?.allow !== undefined && !share.allow.includes(session.client ?? '')) {
      return fail(Command.TREE_CONNECT, NtStatus.ACCESS_DENIED);
    }
    // encryptAll or an encrypted share: a client that cannot encrypt (2.x, or 3.x without
    // the ENCRYPTION capability) is refused, never served in the clear (§3.3.5.7,
    // RejectUnencryptedAccess).
    const encrypt = share?.encrypt === true || this.server.options.encryptAll === true || session.encrypt;
    if (encrypt && this.negotiated?.cipher === undefined)
      return fail(Command.TREE_CONNECT, NtStatus.ACCESS_DENIED);
    // The share's directory is opened on first use; one that cannot be opened is not there.
    let backend: Awaited<ReturnType<ServerContext['backendFor']>>;
    try {
      backend = share === undefined ? undefined : await this.server.backendFor(share);
    } catch {
      return fail(Command.TREE_CONNECT, NtStatus.BAD_NETWORK_NAME);
    }
    const maximalAccess = share?.readOnly === true ? READ_ACCESS : FULL_ACCESS;
    const id = this.nextTreeId++;
    // `\\host\share`: the host part, for srvsvc's server name.
    const host = /^\\\\([^\\]+)\\/.exec(req.path)?.[1];
    session.trees.set(id, {
      id,
      share: ipc ? 'IPC$' : (share?.name ?? name),
      ipc,
      encrypt,
      maximalAccess,
      ...(share === undefined ? {} : { options: share }),
      ...(backend === undefined ? {} : { backend }),
      ...(host === undefined || host === '' ? {} : { host }),
    });
    return {
      ...ok(treeConnectResponse, {
        shareType: ipc ? ShareType.PIPE : ShareType.DISK,
        shareFlags: (encrypt ? ShareFlags.ENCRYPT_DATA : 0) | ShareFlags.NO_CACHING,
        capabilities: 0,
        maximalAccess,
      }),
      treeId: id,
    };
  }
}

/**
 * A compound response grants its credits in its last message, the others 0 (as Windows and
 * Samba; §3.3.1.2 leaves it open). The messages are signed again after joining.
 */
function totalCreditsOnLast(replies: readonly Uint8Array[]): void {
  const CREDITS = 14;
  let total = 0;
  for (const r of replies) {
    const view = new DataView(r.buffer, r.byteOffset, r.byteLength);
    total += view.getUint16(CREDITS, true);
    view.setUint16(CREDITS, 0, true);
  }
  const last = replies[replies.length - 1];
  if (last !== undefined)
    new DataView(last.buffer, last.byteOffset).setUint16(CREDITS, Math.min(total, 0xffff), true);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
