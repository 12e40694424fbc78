/**
 * One client connection (MS-SMB2 §3.3.5): Direct TCP frames in, each decrypted when it is a
 * transform, split into its compounded messages, each checked (signature) and answered by
 * its command's handler; the answers joined, signed or encrypted, and framed back. Session
 * commands (NEGOTIATE, SESSION_SETUP with Kerberos and IAKerb through SPNEGO, never NTLM,
 * LOGOFF, TREE_CONNECT, TREE_DISCONNECT, ECHO) are handled here; the file commands by
 * src/handlers/* over the share's backend (on IPC$: named pipes, src/handlers/pipe.ts). Related compounds (§3.3.5.2.7.2): SessionId,
 * TreeId and an all-0xFF FileId stand for the previous request's, and an error propagates
 * down the chain. CANCEL gets no response; CHANGE_NOTIFY answers STATUS_NOT_SUPPORTED.
 */
import type { Socket } from 'node:net';
import { SpnegoAcceptor } from '@postntlm/gssapi-spnego';
import { createSpnegoAcceptor } from '@postntlm/iakerb';
import {
  type BodyCodec,
  CipherId,
  type CloseRequest,
  Command,
  type CreateRequest,
  Dialect,
  DirectTcpFramer,
  dateToFiletime,
  decodeMessage,
  decodeTransform,
  decryptMessage,
  echoResponse,
  encodeMessage,
  encryptMessage,
  type FileId,
  type FlushRequest,
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
  PreauthHash,
  type QueryDirectoryRequest,
  type QueryInfoRequest,
  Reader,
  type ReadRequest,
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
import { handleClose } from '../handlers/close.js';
import { type Answer, fail, type HandlerContext, ok, statusOf } from '../handlers/common.js';
import { handleCreate } from '../handlers/create.js';
import { handleFlush } from '../handlers/flush.js';
import { handleIoctl } from '../handlers/ioctl.js';
import { handleLock } from '../handlers/lock.js';
import { handleQueryDirectory } from '../handlers/query-directory.js';
import { handleQueryInfo } from '../handlers/query-info.js';
import { handleRead } from '../handlers/read.js';
import { handleSetInfo } from '../handlers/set-info.js';
import { handleWrite } from '../handlers/write.js';
import type { ServerContext } from './server-context.js';
import { type Negotiated, Session, type Tree } from './session.js';

export type { ServerContext } from './server-context.js';

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
  sessionId: bigint;
  treeId: number;
  fileId: FileId | undefined;
  status: number;
}

const ANY_SESSION = 0xffffffffffffffffn;
const ANY_TREE = 0xffffffff;
const isErrorStatus = (s: number) => s >>> 0 >= 0xc0000000;
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
]);

export class SmbConnection {
  private readonly framer: DirectTcpFramer;
  private negotiated: Negotiated | undefined;
  private readonly preauth = new PreauthHash();
  private readonly sessions = new Map<bigint, Session>();
  private queue: Promise<void> = Promise.resolve();
  private nextTreeId = 1;
  readonly peer: string;

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerContext,
  ) {
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.framer = new DirectTcpFramer((server.options.maxIoSize ?? 8 << 20) + 64 * 1024);
    socket.on('data', (chunk: Buffer) =>
      this.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.queue = this.queue.then(() => this.closeAll()).catch(() => {});
    });
  }

  /** Closes every open of every session (the connection went away). */
  private async closeAll(): Promise<void> {
    for (const session of this.sessions.values()) await session.opens.closeAll();
    this.sessions.clear();
  }

  private receive(chunk: Uint8Array): void {
    try {
      this.framer.push(chunk);
      for (let frame = this.framer.next(); frame !== undefined; frame = this.framer.next()) {
        const f = frame;
        this.queue = this.queue
          .then(() => this.handleFrame(f))
          .catch(() => {
            this.socket.destroy();
          });
      }
    } catch {
      this.socket.destroy();
    }
  }

  private async handleFrame(frame: Uint8Array): Promise<void> {
    let plain = frame;
    let encryptedFor: Session | undefined;
    if (isTransformFrame(frame)) {
      const { header } = decodeTransform(frame);
      const session = this.sessions.get(header.sessionId);
      const key = session?.keys?.clientToServerKey;
      if (session === undefined || key === undefined || this.negotiated?.cipher === undefined) {
        this.socket.destroy();
        return;
      }
      plain = decryptMessage(frame, key, this.negotiated.cipher);
      encryptedFor = session;
    }
    const replies: Uint8Array[] = [];
    const signers: (Session | undefined)[] = [];
    let encryptReply = encryptedFor;
    const compound: CompoundState = { sessionId: 0n, treeId: 0, fileId: undefined, status: NtStatus.SUCCESS };
    for (const span of splitCompound(plain)) {
      const message = plain.slice(span.start, span.end);
      const { reply, session } = await this.handleMessage(message, encryptedFor !== undefined, compound);
      if (reply === undefined) continue;
      replies.push(reply);
      signers.push(session);
      if (encryptReply === undefined && session?.encrypt === true && session.state === 'valid')
        encryptReply = session;
    }
    if (replies.length === 0) return;
    let out = joinCompound(replies);
    if (replies.length > 1) this.resignCompound(out, signers);
    if (encryptReply?.keys?.serverToClientKey !== undefined && this.negotiated?.cipher !== undefined) {
      out = encryptMessage({
        cipher: this.negotiated.cipher,
        key: encryptReply.keys.serverToClientKey,
        sessionId: encryptReply.id,
        message: out,
      });
    }
    this.socket.write(frameDirectTcp(out));
  }

  private async handleMessage(
    message: Uint8Array,
    encrypted: boolean,
    compound: CompoundState,
  ): Promise<{ reply: Uint8Array | undefined; session: Session | undefined }> {
    let decoded: ReturnType<typeof decodeMessage>;
    try {
      decoded = decodeMessage(message);
    } catch (e) {
      if (!(e instanceof SmbDecodeError)) throw e;
      // A readable header with a malformed body gets INVALID_PARAMETER; an unreadable header, nothing.
      let header: Smb2Header;
      try {
        header = readHeader(new Reader(message));
      } catch {
        throw e;
      }
      const session = this.sessions.get(header.sessionId);
      return {
        reply: this.reply(header, fail(header.command, NtStatus.INVALID_PARAMETER), session),
        session,
      };
    }
    const { body } = decoded;
    let header = decoded.header;
    if ((header.flags & HeaderFlags.SERVER_TO_REDIR) !== 0) return { reply: undefined, session: undefined };
    // CANCEL has no response (§3.3.5.16); nothing is pending to cancel yet.
    if (header.command === Command.CANCEL) return { reply: undefined, session: undefined };
    // A related request takes the SessionId and TreeId of the one before it (§3.3.5.2.7.2).
    const related = (header.flags & HeaderFlags.RELATED_OPERATIONS) !== 0;
    if (related) {
      header = {
        ...header,
        sessionId: header.sessionId === ANY_SESSION ? compound.sessionId : header.sessionId,
        treeId: header.treeId === ANY_TREE ? compound.treeId : (header.treeId ?? 0),
      };
    } else {
      compound.fileId = undefined;
      compound.status = NtStatus.SUCCESS;
    }
    compound.sessionId = header.sessionId;
    compound.treeId = header.treeId ?? 0;
    let session = this.sessions.get(header.sessionId);

    // Signed requests of an established session are checked (§3.3.5.2.4); unsigned ones refused.
    if (session?.state === 'valid' && !encrypted && header.command !== Command.SESSION_SETUP) {
      const signed = (header.flags & HeaderFlags.SIGNED) !== 0;
      const key = session.keys?.signingKey;
      if (
        !signed ||
        key === undefined ||
        !verifySignature(message, key, this.negotiated?.signing ?? SigningAlgorithmId.AES_CMAC)
      ) {
        return { reply: this.reply(header, fail(header.command, NtStatus.ACCESS_DENIED), session), session };
      }
    }

    // A tree of an encrypted share takes only encrypted requests (§3.3.5.2.9).
    const tree = session?.trees.get(header.treeId ?? 0);
    if (tree?.encrypt === true && !encrypted && header.command !== Command.TREE_CONNECT) {
      return { reply: this.reply(header, fail(header.command, NtStatus.ACCESS_DENIED), session), session };
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
          answer = ok(treeDisconnectResponse, {});
        } else {
          answer = fail(header.command, NtStatus.NETWORK_NAME_DELETED);
        }
        break;
      default:
        if (session?.state !== 'valid') answer = fail(header.command, NtStatus.USER_SESSION_DELETED);
        else if (!FILE_COMMANDS.has(header.command)) answer = fail(header.command, NtStatus.NOT_SUPPORTED);
        else if (tree === undefined) answer = fail(header.command, NtStatus.NETWORK_NAME_DELETED);
        else if (related && isErrorStatus(compound.status)) answer = fail(header.command, compound.status);
        else answer = await this.fileCommand(header, body, session, tree, compound);
    }
    if (FILE_COMMANDS.has(header.command)) {
      compound.status = answer.status;
      if (answer.fileId !== undefined) compound.fileId = answer.fileId;
    }
    const reply = this.reply(header, answer, session, answer.signWith);
    // 3.1.1: the connection's preauth hash takes the NEGOTIATE request and response (§3.3.5.4).
    if (
      header.command === Command.NEGOTIATE &&
      this.negotiated?.dialect === Dialect.SMB_3_1_1 &&
      answer.status === NtStatus.SUCCESS
    ) {
      this.preauth.update(reply);
    }
    if (header.command === Command.LOGOFF && session !== undefined && answer.status === NtStatus.SUCCESS) {
      this.sessions.delete(session.id);
      await session.opens.closeAll();
    }
    return { reply, session };
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
    };
    try {
      switch (header.command) {
        case Command.CREATE:
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
        default:
          // CHANGE_NOTIFY: not yet (it needs async responses).
          return fail(header.command, NtStatus.NOT_SUPPORTED);
      }
    } catch (e) {
      return fail(header.command, statusOf(e));
    }
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

  /** The response message: header fields echoed, credits granted, signed when the session signs. */
  private reply(
    request: Smb2Header,
    answer: Answer,
    session: Session | undefined,
    signWith?: Session,
  ): Uint8Array {
    const header: Smb2Header = {
      creditCharge: request.creditCharge,
      status: answer.status,
      command: request.command,
      // Grant what was asked (at least 1), within a window that keeps large I/O flowing.
      credits: Math.max(1, Math.min(request.credits, 512)),
      flags: HeaderFlags.SERVER_TO_REDIR | (request.flags & HeaderFlags.RELATED_OPERATIONS),
      nextCommand: 0,
      messageId: request.messageId,
      reserved: request.reserved ?? 0,
      treeId: answer.treeId ?? request.treeId ?? 0,
      sessionId: session?.id ?? request.sessionId,
      signature: new Uint8Array(16),
    };
    const bytes = encodeMessage(header, answer.codec, answer.body);
    const signer =
      signWith ??
      (session?.state === 'valid' && request.command !== Command.SESSION_SETUP ? session : undefined);
    if (signer?.keys !== undefined && this.negotiated !== undefined) {
      signMessage(bytes, signer.keys.signingKey, this.negotiated.signing);
    }
    return bytes;
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
      session = new Session(
        this.server.newId(),
        this.newAcceptor(),
        negotiated.dialect === Dialect.SMB_3_1_1 ? this.preauth : undefined,
      );
      this.sessions.set(session.id, session);
    } else if (session.state === 'valid') {
      // Re-authentication of an established session is not supported yet.
      return { answer: fail(Command.SESSION_SETUP, NtStatus.REQUEST_NOT_ACCEPTED), session };
    }
    session.preauth?.update(message);
    if (startsWith(req.securityBuffer, NTLMSSP)) {
      this.server.recordNtlm(this.peer, ['NTLMSSP']);
      this.sessions.delete(session.id);
      return { answer: fail(Command.SESSION_SETUP, NtStatus.LOGON_FAILURE), session: undefined };
    }
    const step = await session.acceptor.stepAsync(req.securityBuffer);
    if (step.error !== undefined || (!step.done && step.outputToken === undefined)) {
      this.sessions.delete(session.id);
      return { answer: fail(Command.SESSION_SETUP, NtStatus.LOGON_FAILURE), session: undefined };
    }
    const securityBuffer = step.outputToken ?? new Uint8Array(0);
    if (!step.done) {
      const answer: Answer = {
        status: NtStatus.MORE_PROCESSING_REQUIRED,
        codec: sessionSetupResponse as BodyCodec<unknown>,
        body: { sessionFlags: 0, securityBuffer },
      };
      // The preauth hash takes every SESSION_SETUP response but the final one.
      const reply = this.reply(header, answer, session);
      session.preauth?.update(reply);
      return { answer, session };
    }
    const context = session.acceptor.context;
    if (context === undefined) {
      this.sessions.delete(session.id);
      return { answer: fail(Command.SESSION_SETUP, NtStatus.LOGON_FAILURE), session: undefined };
    }
    session.establish(context, negotiated.dialect, negotiated.cipher);
    session.encrypt = this.server.options.encryptAll === true && negotiated.cipher !== undefined;
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
    const encrypt = share?.encrypt === true || session.encrypt;
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

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
