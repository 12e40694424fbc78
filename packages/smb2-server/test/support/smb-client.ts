/**
 * A small SMB2 client over a real socket for server tests, built from the smb2-protocol
 * codecs: NEGOTIATE (3.0.2), SESSION_SETUP through SPNEGO with a test ticket, and any other
 * request, signed with the session's key, with the header fields a test wants to get wrong
 * (MessageId, CreditCharge, SessionId, TreeId, flags). Responses are matched by MessageId.
 */
import { connect, type Socket } from 'node:net';
import { SpnegoInitiator } from '@postntlm/gssapi-spnego';
import type { Credential } from '@postntlm/krb5-client';
import {
  type BodyCodec,
  CipherId,
  Command,
  type DecodedMessage,
  Dialect,
  DirectTcpFramer,
  decodeMessage,
  decodeTransform,
  decryptMessage,
  deriveSessionKeys,
  encodeMessage,
  encryptMessage,
  frameDirectTcp,
  GlobalCapabilities,
  HeaderFlags,
  isTransformFrame,
  joinCompound,
  NtStatus,
  negotiateRequest,
  SecurityMode,
  type SessionKeys,
  SigningAlgorithmId,
  type Smb2Header,
  sessionSetupRequest,
  signMessage,
  splitCompound,
  treeConnectRequest,
} from '@postntlm/smb2-protocol';

export interface RequestOptions {
  readonly sessionId?: bigint;
  readonly treeId?: number;
  readonly messageId?: bigint;
  readonly credits?: number;
  readonly creditCharge?: number;
  readonly flags?: number;
  /** Sign with these keys (default: the keys of `sessionId` when known). */
  readonly signWith?: SessionKeys | null;
  /** Send it in a TRANSFORM frame with the keys of `sessionId` (3.0.2: AES-128-CCM). */
  readonly encrypt?: boolean;
}

export interface ClientSession {
  readonly id: bigint;
  readonly keys: SessionKeys;
}

export class TestSmbClient {
  readonly #socket: Socket;
  readonly #framer = new DirectTcpFramer();
  readonly #waiting = new Map<bigint, (m: DecodedMessage) => void>();
  readonly #keys = new Map<bigint, SessionKeys>();
  #nextMessageId = 0n;
  /** Credits granted, summed over every response. */
  credits = 0;
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.#framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      for (let frame = this.#framer.next(); frame !== undefined; frame = this.#framer.next()) {
        const f = this.#decrypt(frame);
        for (const span of splitCompound(f)) {
          const m = decodeMessage(f, span);
          this.credits += m.header.credits;
          if (m.header.status === NtStatus.PENDING && (m.header.flags & HeaderFlags.ASYNC_COMMAND) !== 0)
            continue;
          this.#waiting.get(m.header.messageId)?.(m);
          this.#waiting.delete(m.header.messageId);
        }
      }
    });
  }

  /** Frames received encrypted, by session. */
  encryptedFrames = 0;

  #decrypt(frame: Uint8Array): Uint8Array {
    if (!isTransformFrame(frame)) return frame;
    const keys = this.#keys.get(decodeTransform(frame).header.sessionId);
    if (keys?.decryptionKey === undefined) throw new Error('an encrypted frame of an unknown session');
    this.encryptedFrames++;
    return decryptMessage(frame, keys.decryptionKey, CipherId.AES_128_CCM);
  }

  static async connect(port: number): Promise<TestSmbClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new TestSmbClient(socket);
  }

  get isClosed(): boolean {
    return this.#socket.destroyed;
  }

  close(): void {
    this.#socket.destroy();
  }

  /** The MessageId the next request takes by default (and skips it, for tests that reorder). */
  takeMessageId(count = 1): bigint {
    const id = this.#nextMessageId;
    this.#nextMessageId += BigInt(count);
    return id;
  }

  /** Encodes one request message (signed when its session has keys). */
  message<T>(command: number, codec: BodyCodec<T>, body: T, o: RequestOptions = {}): Uint8Array {
    const charge = o.creditCharge ?? 1;
    const header: Smb2Header = {
      creditCharge: charge,
      status: 0,
      command,
      credits: o.credits ?? 64,
      flags: o.flags ?? 0,
      nextCommand: 0,
      messageId: o.messageId ?? this.takeMessageId(Math.max(1, charge)),
      reserved: 0,
      treeId: o.treeId ?? 0,
      sessionId: o.sessionId ?? 0n,
      signature: new Uint8Array(16),
    };
    const bytes = encodeMessage(header, codec, body);
    const keys = o.signWith === null ? undefined : (o.signWith ?? this.#keys.get(header.sessionId));
    if (keys !== undefined) signMessage(bytes, keys.signingKey, SigningAlgorithmId.AES_CMAC);
    return bytes;
  }

  /** The next message received with this MessageId (all 0xFF: an unsolicited oplock break). */
  receive(messageId: bigint): Promise<DecodedMessage> {
    return new Promise((resolve) => this.#waiting.set(messageId, resolve));
  }

  /** Sends messages as one frame (a compound when several) and waits for each response. */
  async sendFrame(messages: readonly Uint8Array[], encryptFor?: bigint): Promise<DecodedMessage[]> {
    const waits = messages.map((m) => {
      const id = new DataView(m.buffer, m.byteOffset).getBigUint64(24, true);
      return new Promise<DecodedMessage>((resolve) => this.#waiting.set(id, resolve));
    });
    const frame = messages.length === 1 ? (messages[0] as Uint8Array) : joinCompound([...messages]);
    if (messages.length > 1) {
      // Joining padded and linked them: sign the joined messages again.
      for (const span of splitCompound(frame)) {
        const part = frame.subarray(span.start, span.end);
        const sid = new DataView(part.buffer, part.byteOffset).getBigUint64(40, true);
        const keys = this.#keys.get(sid);
        if (keys !== undefined && (part[16] as number) & HeaderFlags.SIGNED)
          signMessage(part, keys.signingKey, SigningAlgorithmId.AES_CMAC);
      }
    }
    const key = encryptFor === undefined ? undefined : this.#keys.get(encryptFor)?.encryptionKey;
    const out =
      key === undefined || encryptFor === undefined
        ? frame
        : encryptMessage({ cipher: CipherId.AES_128_CCM, key, sessionId: encryptFor, message: frame });
    this.#socket.write(frameDirectTcp(out));
    return Promise.all(waits);
  }

  async request<T>(
    command: number,
    codec: BodyCodec<T>,
    body: T,
    o: RequestOptions = {},
  ): Promise<DecodedMessage> {
    const [r] = await this.sendFrame(
      [this.message(command, codec, body, o)],
      o.encrypt === true ? (o.sessionId ?? 0n) : undefined,
    );
    return r as DecodedMessage;
  }

  /** NEGOTIATE 3.0.2; `encryption` offers GlobalCapabilities.ENCRYPTION (AES-128-CCM). */
  async negotiate(encryption = false): Promise<DecodedMessage> {
    return this.request(Command.NEGOTIATE, negotiateRequest, {
      securityMode: SecurityMode.SIGNING_ENABLED,
      capabilities: GlobalCapabilities.LARGE_MTU | (encryption ? GlobalCapabilities.ENCRYPTION : 0),
      clientGuid: new Uint8Array(16).fill(5),
      dialects: [Dialect.SMB_3_0_2],
      clientStartTime: 0n,
    });
  }

  /**
   * SESSION_SETUP with `credential` until done: a new session (sessionId 0) or a
   * re-authentication of `sessionId`. Returns the last response and, on success, the session.
   */
  async sessionSetup(
    credential: Credential,
    o: { sessionId?: bigint; previousSessionId?: bigint } = {},
  ): Promise<{ response: DecodedMessage; session?: ClientSession }> {
    const initiator = new SpnegoInitiator({ credential });
    let step = initiator.step();
    let sessionId = o.sessionId ?? 0n;
    for (;;) {
      const response = await this.request(
        Command.SESSION_SETUP,
        sessionSetupRequest,
        {
          flags: 0,
          securityMode: SecurityMode.SIGNING_ENABLED,
          capabilities: 0,
          channel: 0,
          securityBuffer: step.outputToken ?? new Uint8Array(0),
          previousSessionId: o.previousSessionId ?? 0n,
        },
        { sessionId },
      );
      sessionId = response.header.sessionId;
      const status = response.header.status;
      if (status !== NtStatus.SUCCESS && status !== NtStatus.MORE_PROCESSING_REQUIRED) return { response };
      const token = (response.body as { securityBuffer: Uint8Array }).securityBuffer;
      if (!step.done) step = initiator.step(token);
      if (status === NtStatus.SUCCESS) {
        const context = step.context;
        if (context === undefined) throw new Error('initiator not done at SUCCESS');
        let keys = this.#keys.get(sessionId);
        if (keys === undefined) {
          keys = deriveSessionKeys({
            dialect: Dialect.SMB_3_0_2,
            sessionKey: context.smbSessionKey(),
            role: 'client',
          });
          this.#keys.set(sessionId, keys);
        }
        return { response, session: { id: sessionId, keys } };
      }
    }
  }

  async treeConnect(sessionId: bigint, share = 'share'): Promise<DecodedMessage> {
    return this.request(
      Command.TREE_CONNECT,
      treeConnectRequest,
      { flags: 0, path: `\\\\files.test\\${share}` },
      { sessionId },
    );
  }
}
