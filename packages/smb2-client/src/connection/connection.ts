/**
 * One SMB2 connection as the client sees it (MS-SMB2 §3.2.4.1, §3.2.5.1): Direct TCP
 * framing, MessageIds and credits, the table of outstanding requests, async (interim
 * STATUS_PENDING) responses, CANCEL, signing of requests and verification of responses,
 * encryption (the TRANSFORM_HEADER), compounds, per-request timeouts and AbortSignals. When
 * the transport dies, every outstanding promise rejects with the same SmbConnectionError.
 *
 * Inbound frames go through one pipeline: decrypt → split compound → credits → interim →
 * verify → decode → settle.
 */
import {
  type BodyCodec,
  type CipherId,
  Command,
  cancelRequest,
  DirectTcpFramer,
  decodeTransform,
  decryptMessage,
  directTcpHeader,
  encodeMessage,
  errorResponseFor,
  type GcmOffload,
  HeaderFlags,
  hasErrorResponseBody,
  isTransformFrame,
  joinCompound,
  type MessageSpan,
  NtStatus,
  Reader,
  readHeader,
  type SigningAlgorithmId,
  type Smb2Header,
  splitCompound,
} from '@postntlm/smb2-protocol';
import { abortReason, SmbConnectionError, SmbError, SmbIntegrityError, SmbProtocolError } from '../errors.js';

/** Largest frame accepted by default: an 8 MiB READ or WRITE and its headers. */
const DEFAULT_MAX_FRAME = 8 * 1024 * 1024 + 64 * 1024;

import { concatBytes } from '../bytes.js';
import { type CreditGrant, CreditWindow } from './credits.js';
import { checkResponse, protect } from './protection.js';
import type { Transport } from './transport.js';

/** The keys and rules of one authenticated session, as the connection applies them. */
export interface SessionSecurity {
  readonly signingKey: Uint8Array;
  readonly signingAlgorithm: SigningAlgorithmId;
  /** Client-to-server key (3.x). */
  readonly encryptionKey: Uint8Array | undefined;
  /** Server-to-client key (3.x). */
  readonly decryptionKey: Uint8Array | undefined;
  readonly cipher: CipherId | undefined;
  /** Sign every request of the session and require signed responses. */
  readonly sign: boolean;
  /** Encrypt every request of the session (SMB2_SESSION_FLAG_ENCRYPT_DATA or the caller's wish). */
  readonly encryptAll: boolean;
}

/** One request to send. */
export interface RequestSpec<Req, Res = unknown> {
  readonly codec: BodyCodec<Req>;
  readonly body: Req;
  /** Decodes the success body (default: the command's response codec via `responseCodec`). */
  readonly responseCodec?: BodyCodec<Res>;
  readonly decode?: (r: Reader) => Res;
  readonly sessionId?: bigint;
  readonly treeId?: number;
  /** Credits the request uses (1 per 64 KiB of request or response payload, §3.1.5.2); default 1. */
  readonly creditCharge?: number;
  /** Encrypt this request (an encrypted tree); the session's `encryptAll` also does. */
  readonly encrypt?: boolean;
  /** Bytes sent after the encoded body without copying them (a WRITE's data). */
  readonly payload?: Uint8Array;
  /**
   * The payload is this request's own scratch memory, never read again by the caller: an
   * encrypted request is sealed over it in place (no new memory per megabyte).
   */
  readonly payloadOwned?: boolean;
  /** Sign this request even in a session that does not sign everything (3.1.1 TREE_CONNECT). */
  readonly sign?: boolean;
  /** Extra header flags (RELATED_OPERATIONS is set by `compound`). */
  readonly flags?: number;
  /** Time allowed until the first response, in ms (default: the connection's). 0: none. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal | undefined;
  /** Called with the message bytes as sent, before any encryption (the preauth hash needs them). */
  readonly onSent?: (message: Uint8Array) => void;
}

/** A response as received. */
export interface SmbResponse<Res = unknown> {
  readonly header: Smb2Header;
  /** The decoded body; an ERROR Response when `isError`. */
  readonly body: Res;
  readonly isError: boolean;
  readonly status: number;
  /** The message bytes (with any compound padding), for the preauth hash and signature checks. */
  readonly raw: Uint8Array;
  readonly encrypted: boolean;
}

export interface ConnectionOptions {
  /** Default time for a request's first response, ms; default 60 000. */
  readonly timeoutMs?: number;
  /** Credits the client tries to hold; default 512. */
  readonly creditTarget?: number;
  /** Largest frame accepted; default 8 MiB + 64 KiB. */
  readonly maxFrame?: number;
  /**
   * A worker for AES-GCM: encrypted frames of `OFFLOAD_MIN_BYTES` or more in shared memory
   * (the TCP transport's pooled frames, `writeFrom`'s buffers) are opened and sealed there.
   */
  readonly gcmOffload?: GcmOffload | undefined;
}

/** Encrypted messages this big go to the GCM worker (smaller ones cost more to hand over). */
export const OFFLOAD_MIN_BYTES = 256 * 1024;

const inSharedMemory = (b: Uint8Array): boolean =>
  typeof SharedArrayBuffer === 'function' && b.buffer instanceof SharedArrayBuffer;

interface Pending {
  readonly messageId: bigint;
  readonly command: number;
  readonly sessionId: bigint;
  /** Credits this request asked for, until its first response comes back. */
  asked: number;
  asyncId: bigint | undefined;
  readonly encrypted: boolean;
  readonly signed: boolean;
  readonly decode: (r: Reader) => unknown;
  /** Settled by abort or timeout: the late response only returns credits. */
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly resolve: (r: SmbResponse) => void;
  readonly reject: (e: unknown) => void;
  cleanup(): void;
}

const NOTIFICATION_MESSAGE_ID = 0xffff_ffff_ffff_ffffn;
const ZERO_SIGNATURE = new Uint8Array(16);

export class SmbConnection {
  /** The negotiated dialect (0 before NEGOTIATE). */
  dialect = 0;
  /** Connection.SupportsMultiCredit (§3.2.5.2): CreditCharge is meaningful. */
  supportsMultiCredit = false;
  readonly credits: CreditWindow;
  readonly #transport: Transport;
  readonly #framer: DirectTcpFramer;
  readonly #maxFrame: number;
  readonly #pending = new Map<bigint, Pending>();
  readonly #sessions = new Map<bigint, SessionSecurity>();
  readonly #timeoutMs: number;
  #closed: Error | undefined;
  readonly #reauthenticators = new Map<bigint, () => Promise<void>>();
  readonly #reauthenticating = new Map<bigint, Promise<void>>();
  readonly #closeListeners: ((error: Error) => void)[] = [];
  readonly #offload: GcmOffload | undefined;
  /** Frames waiting behind one the GCM worker is opening: handled in arrival order. */
  #inbox: Promise<void> | undefined;
  /** Frames waiting behind one the GCM worker is sealing: written in the order sent. */
  #outbox: Promise<void> | undefined;

  constructor(transport: Transport, options: ConnectionOptions = {}) {
    this.#transport = transport;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.credits = new CreditWindow(options.creditTarget);
    this.#maxFrame = options.maxFrame ?? DEFAULT_MAX_FRAME;
    this.#offload = options.gcmOffload;
    this.#framer = new DirectTcpFramer(
      this.#maxFrame,
      transport.allocate === undefined ? {} : { allocate: transport.allocate },
    );
    transport.attach({
      data: (chunk) => this.#onData(chunk),
      close: (error) => this.#fail(error ?? new SmbConnectionError('connection closed')),
    });
  }

  /** Whether the connection is closed (then every request rejects). */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Requests waiting for a response. */
  get outstanding(): number {
    let n = 0;
    for (const p of this.#pending.values()) if (!p.settled) n++;
    return n;
  }

  /**
   * Gives a received frame's memory back to the transport, for a later frame (any view of the
   * frame will do). Only for a caller that holds the last view of it: it will be overwritten.
   */
  releaseFrame(view: Uint8Array): void {
    this.#transport.release?.(view);
  }

  /** Called once when the connection dies. */
  onClose(listener: (error: Error) => void): void {
    if (this.#closed !== undefined) listener(this.#closed);
    else this.#closeListeners.push(listener);
  }

  /** Installs (or replaces) the keys of a session. */
  setSession(sessionId: bigint, security: SessionSecurity): void {
    this.#sessions.set(sessionId, security);
  }

  session(sessionId: bigint): SessionSecurity | undefined {
    return this.#sessions.get(sessionId);
  }

  removeSession(sessionId: bigint): void {
    this.#sessions.delete(sessionId);
  }

  /** Sends one request; resolves with its final response whatever its status. */
  async send<Req, Res>(spec: RequestSpec<Req, Res>): Promise<SmbResponse<Res>> {
    const [response] = await this.compound([spec as RequestSpec<unknown, unknown>]);
    return (await (response as Promise<SmbResponse<never>>)) as SmbResponse<Res>;
  }

  /**
   * Re-authenticates a session whose ticket expired (STATUS_NETWORK_SESSION_EXPIRED,
   * §3.2.5.1.8); `call` then sends the request again, once.
   */
  setReauthenticator(sessionId: bigint, reauthenticate: () => Promise<void>): void {
    this.#reauthenticators.set(sessionId, reauthenticate);
  }

  /** Sends one request; rejects with SmbError unless the status is one of `ok` (default SUCCESS). */
  async call<Req, Res>(
    spec: RequestSpec<Req, Res>,
    operation?: string,
    ok: readonly number[] = [NtStatus.SUCCESS],
  ): Promise<SmbResponse<Res>> {
    let response = await this.send(spec);
    if (
      response.status === NtStatus.NETWORK_SESSION_EXPIRED &&
      spec.codec.command !== Command.SESSION_SETUP
    ) {
      const sessionId = spec.sessionId ?? 0n;
      const reauthenticate = this.#reauthenticators.get(sessionId);
      if (reauthenticate !== undefined) {
        // One re-authentication for every request that met the expiry at the same time.
        let running = this.#reauthenticating.get(sessionId);
        if (running === undefined) {
          running = reauthenticate().finally(() => this.#reauthenticating.delete(sessionId));
          this.#reauthenticating.set(sessionId, running);
        }
        await running;
        response = await this.send(spec);
      }
    }
    if (!ok.includes(response.status)) throw new SmbError(response.status, spec.codec.command, operation);
    return response;
  }

  /**
   * Sends related requests as one compound (§3.2.4.1.4): each after the first has
   * SMB2_FLAGS_RELATED_OPERATIONS and works on the FileId the first created. Resolves with
   * one promise per request (they settle independently).
   */
  async compound(specs: readonly RequestSpec<unknown, unknown>[]): Promise<Promise<SmbResponse<never>>[]> {
    if (this.#closed !== undefined) throw this.#closed;
    const signal = specs[0]?.signal;
    if (signal?.aborted) throw abortReason(signal);
    const grants: CreditGrant[] = [];
    try {
      for (const s of specs) grants.push(await this.credits.acquire(this.#chargeOf(s), signal));
    } catch (e) {
      // Credits taken for the first requests stay unused: give them back.
      for (const g of grants) this.credits.grant(g.charge, g.creditRequest);
      throw e;
    }
    if (this.#closed !== undefined) throw this.#closed;
    const messages = specs.map((s, i) => this.#encode(s, grants[i] as CreditGrant, i > 0));
    const sessionId = specs[0]?.sessionId ?? 0n;
    const security = this.#sessions.get(sessionId);
    // SESSION_SETUP is signed, never encrypted, even when re-authenticating an encrypted session (§3.2.4.1.8).
    const setup = specs.some((s) => s.codec.command === Command.SESSION_SETUP);
    const encrypt =
      !setup &&
      security?.encryptionKey !== undefined &&
      (security.encryptAll || specs.some((s) => s.encrypt === true));
    const sign =
      !encrypt && security !== undefined && (security.sign || setup || specs.some((s) => s.sign === true));
    const promises = specs.map((s, i) =>
      this.#register(s, grants[i] as CreditGrant, { encrypted: encrypt, signed: sign }),
    );
    let parts: Uint8Array[];
    if (messages.length === 1) {
      parts = messages[0] as Uint8Array[];
      if (sign) parts = protect(parts, security, sessionId, { sign, encrypt: false });
    } else {
      const joined = joinCompound(messages.map((m) => concatBytes(m)));
      // Each message is signed over itself and its padding (§3.2.4.1.1), after NextCommand is set.
      if (sign)
        for (const span of splitCompound(joined))
          protect([joined.subarray(span.start, span.end)], security, sessionId, { sign, encrypt: false });
      parts = [joined];
    }
    for (const s of specs) if (s.onSent !== undefined) s.onSent(concatBytes(parts));
    // The encoded headers and a compound's joined bytes are fresh; a payload only if owned.
    const inPlace =
      messages.length > 1 || specs.every((s) => s.payload === undefined || s.payloadOwned === true);
    const size = parts.reduce((n, p) => n + p.length, 0);
    if (
      encrypt &&
      inPlace &&
      this.#offload !== undefined &&
      size >= OFFLOAD_MIN_BYTES &&
      parts.some(inSharedMemory) &&
      security?.encryptionKey !== undefined &&
      security.cipher !== undefined
    )
      this.#write(
        this.#offload.seal({
          cipher: security.cipher,
          key: security.encryptionKey,
          sessionId,
          message: parts,
        }),
      );
    else {
      if (encrypt) parts = protect(parts, security, sessionId, { sign: false, encrypt, inPlace });
      this.#write(parts);
    }
    return promises;
  }

  /** Closes the transport; outstanding requests reject. */
  close(): void {
    this.#fail(new SmbConnectionError('connection closed'));
    this.#transport.close();
  }

  #chargeOf(spec: RequestSpec<unknown, unknown>): number {
    return this.supportsMultiCredit ? Math.max(1, spec.creditCharge ?? 1) : 1;
  }

  #encode(spec: RequestSpec<unknown, unknown>, grant: CreditGrant, related: boolean): Uint8Array[] {
    const header: Smb2Header = {
      // CreditCharge is Reserved (0) until a dialect with multi-credit is negotiated (§3.2.4.1.5).
      creditCharge: this.supportsMultiCredit ? grant.charge : 0,
      status: 0,
      command: spec.codec.command,
      credits: grant.creditRequest,
      flags: (spec.flags ?? 0) | (related ? HeaderFlags.RELATED_OPERATIONS : 0),
      nextCommand: 0,
      messageId: grant.messageId,
      reserved: 0xfeff,
      treeId: spec.treeId ?? 0,
      sessionId: spec.sessionId ?? 0n,
      signature: ZERO_SIGNATURE,
    };
    const message = encodeMessage(header, spec.codec, spec.body);
    return spec.payload === undefined || spec.payload.length === 0 ? [message] : [message, spec.payload];
  }

  #register(
    spec: RequestSpec<unknown, unknown>,
    grant: CreditGrant,
    protection: { encrypted: boolean; signed: boolean },
  ): Promise<SmbResponse<never>> {
    const responseCodec = spec.responseCodec;
    const decode = spec.decode ?? ((r: Reader) => responseCodec?.decode(r));
    return new Promise<SmbResponse<never>>((resolve, reject) => {
      const { signal } = spec;
      const onAbort = (): void => {
        if (entry.settled) return;
        this.#settle(entry);
        this.#cancel(entry);
        reject(abortReason(signal as AbortSignal));
      };
      const entry: Pending = {
        messageId: grant.messageId,
        command: spec.codec.command,
        sessionId: spec.sessionId ?? 0n,
        asked: grant.creditRequest,
        asyncId: undefined,
        encrypted: protection.encrypted,
        signed: protection.signed,
        decode,
        settled: false,
        timer: undefined,
        resolve: resolve as (r: SmbResponse) => void,
        reject,
        cleanup: () => {
          if (entry.timer !== undefined) clearTimeout(entry.timer);
          entry.timer = undefined;
          signal?.removeEventListener('abort', onAbort);
        },
      };
      const timeoutMs = spec.timeoutMs ?? this.#timeoutMs;
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          if (entry.settled) return;
          this.#settle(entry);
          reject(
            new SmbConnectionError(
              `no response to ${spec.codec.name} (MessageId ${grant.messageId}) within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(grant.messageId, entry);
    });
  }

  /** Marks a request settled by the client (abort, timeout): its late response only returns credits. */
  #settle(entry: Pending): void {
    entry.settled = true;
    entry.cleanup();
  }

  /** SMB2 CANCEL (§3.2.4.24): no credits, the MessageId (or AsyncId) of the request it cancels. */
  #cancel(entry: Pending): void {
    if (this.#closed !== undefined) return;
    const asyncId = entry.asyncId;
    const async = asyncId !== undefined;
    const header: Smb2Header = {
      creditCharge: 0,
      status: 0,
      command: Command.CANCEL,
      credits: 0,
      flags: async ? HeaderFlags.ASYNC_COMMAND : 0,
      nextCommand: 0,
      messageId: entry.messageId,
      ...(async ? { asyncId } : { reserved: 0xfeff, treeId: 0 }),
      sessionId: entry.sessionId,
      signature: ZERO_SIGNATURE,
    };
    const security = this.#sessions.get(entry.sessionId);
    this.#write(
      protect([encodeMessage(header, cancelRequest, {})], security, entry.sessionId, {
        sign: entry.signed,
        encrypt: entry.encrypted,
      }),
    );
  }

  /**
   * One Direct TCP frame (§2.1) of these parts, without joining them. Parts still being
   * sealed by the GCM worker hold back the frames sent after them, so the order is kept.
   */
  #write(parts: readonly Uint8Array[] | Promise<Uint8Array[]>): void {
    const send = (ready: readonly Uint8Array[]): void => {
      if (this.#closed !== undefined) return;
      let total = 0;
      for (const p of ready) total += p.length;
      this.#transport.write([directTcpHeader(total), ...ready]);
    };
    if (this.#outbox === undefined && !(parts instanceof Promise)) {
      send(parts);
      return;
    }
    const next = (this.#outbox ?? Promise.resolve()).then(() => parts).then(send);
    this.#outbox = next;
    next.then(
      () => {
        if (this.#outbox === next) this.#outbox = undefined;
      },
      (e: unknown) => {
        this.#fail(new SmbIntegrityError('a request could not be encrypted', { cause: e }));
        this.#transport.close();
      },
    );
  }

  #onData(chunk: Uint8Array): void {
    if (this.#closed !== undefined) return;
    try {
      // A framed transport hands over whole frames, read in place: no copy to gather them.
      if (this.#transport.framed === true) {
        if (chunk.length > this.#maxFrame)
          throw new SmbProtocolError(`frame of ${chunk.length} bytes exceeds ${this.#maxFrame}`);
        this.#onFrame(chunk);
        return;
      }
      this.#framer.push(chunk);
      for (let frame = this.#framer.next(); frame !== undefined; frame = this.#framer.next()) {
        this.#onFrame(frame);
        if (this.#closed !== undefined) return;
      }
    } catch (e) {
      // A frame we cannot parse or decrypt leaves the stream unusable (§3.2.5.1): drop it.
      const error =
        e instanceof SmbIntegrityError || e instanceof SmbProtocolError
          ? e
          : new SmbProtocolError(`bad frame from the server: ${(e as Error).message}`, { cause: e });
      this.#fail(error);
      this.#transport.close();
    }
  }

  #onFrame(frame: Uint8Array): void {
    const offload =
      this.#offload !== undefined &&
      frame.length >= OFFLOAD_MIN_BYTES &&
      inSharedMemory(frame) &&
      isTransformFrame(frame);
    if (this.#inbox === undefined && !offload) {
      this.#dispatch(frame, this.#decrypt(frame));
      return;
    }
    // The worker gets the frame now, so it already holds the next one when it finishes this
    // one (no idle round trip through the event loop between READs); the frames are still
    // dispatched in the order they came, each once those before it were.
    const opening = offload ? this.#decryptOffloaded(frame) : undefined;
    opening?.catch(() => undefined);
    const next = (this.#inbox ?? Promise.resolve()).then(async () => {
      if (this.#closed !== undefined) return;
      const plain = opening !== undefined ? await opening : this.#decrypt(frame);
      if (this.#closed === undefined) this.#dispatch(frame, plain);
    });
    this.#inbox = next;
    next.then(
      () => {
        if (this.#inbox === next) this.#inbox = undefined;
      },
      (e: unknown) => {
        this.#fail(
          e instanceof SmbIntegrityError || e instanceof SmbProtocolError
            ? e
            : new SmbProtocolError(`bad frame from the server: ${(e as Error).message}`, { cause: e }),
        );
        this.#transport.close();
      },
    );
  }

  /** The session a transform frame is for, and its keys (SmbProtocolError if unknown). */
  #decryptionFor(frame: Uint8Array): { key: Uint8Array; cipher: CipherId } {
    const { header } = decodeTransform(frame);
    const security = this.#sessions.get(header.sessionId);
    if (security?.decryptionKey === undefined || security.cipher === undefined)
      throw new SmbProtocolError(`encrypted frame for unknown session 0x${header.sessionId.toString(16)}`);
    return { key: security.decryptionKey, cipher: security.cipher };
  }

  /** The frame's plaintext (undefined: it was not encrypted). */
  #decrypt(frame: Uint8Array): Uint8Array | undefined {
    if (!isTransformFrame(frame)) return undefined;
    const { key, cipher } = this.#decryptionFor(frame);
    try {
      // Frames are the connection's own memory: decrypting over the ciphertext keeps an
      // 8 MiB READ in cache and allocates nothing (about 3x the speed of one big update).
      return decryptMessage(frame, key, cipher, { inPlace: true });
    } catch (e) {
      throw new SmbIntegrityError('an encrypted response did not decrypt', { cause: e });
    }
  }

  async #decryptOffloaded(frame: Uint8Array): Promise<Uint8Array> {
    const { key, cipher } = this.#decryptionFor(frame);
    try {
      return await (this.#offload as GcmOffload).open(frame, key, cipher);
    } catch (e) {
      throw new SmbIntegrityError('an encrypted response did not decrypt', { cause: e });
    }
  }

  #dispatch(frame: Uint8Array, plain: Uint8Array | undefined): void {
    const message = plain ?? frame;
    for (const span of splitCompound(message)) this.#onMessage(message, span, plain !== undefined);
  }

  #onMessage(frame: Uint8Array, span: MessageSpan, encrypted: boolean): void {
    const r = new Reader(frame, span.start, span.end);
    const header = readHeader(r);
    if ((header.flags & HeaderFlags.SERVER_TO_REDIR) === 0)
      throw new SmbProtocolError('the server sent a request');
    // Oplock and lease breaks (§3.2.5.19): we ask for neither, so there is nothing to do.
    if (header.messageId === NOTIFICATION_MESSAGE_ID) return;
    const entry = this.#pending.get(header.messageId);
    if (entry === undefined) return;
    const interim = header.status === NtStatus.PENDING && (header.flags & HeaderFlags.ASYNC_COMMAND) !== 0;
    this.credits.grant(header.credits, entry.asked);
    entry.asked = 0;
    if (interim) {
      // §3.2.5.1.5: the final response comes later; no timeout while the server works on it.
      entry.asyncId = header.asyncId;
      if (entry.timer !== undefined) clearTimeout(entry.timer);
      entry.timer = undefined;
      return;
    }
    this.#pending.delete(header.messageId);
    if (entry.settled) return;
    entry.cleanup();
    const raw = frame.subarray(span.start, span.end);
    const problem = checkResponse(entry, this.#sessions.get(header.sessionId), header, raw, encrypted);
    if (problem !== undefined) {
      entry.reject(problem);
      return;
    }
    try {
      const structureSize =
        r.remaining >= 2 ? (frame[r.pos] as number) | ((frame[r.pos + 1] as number) << 8) : 0;
      const isError =
        structureSize === 9 && hasErrorResponseBody(header.command, header.status, structureSize);
      const body = isError ? errorResponseFor(header.command).decode(r) : entry.decode(r);
      entry.resolve({ header, body, isError, status: header.status >>> 0, raw, encrypted });
    } catch (e) {
      entry.reject(
        new SmbProtocolError(`malformed ${e instanceof Error ? e.message : String(e)}`, { cause: e }),
      );
    }
  }

  #fail(error: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    this.credits.fail(error);
    for (const entry of this.#pending.values()) {
      if (entry.settled) continue;
      entry.cleanup();
      entry.reject(error);
    }
    this.#pending.clear();
    for (const l of this.#closeListeners.splice(0)) l(error);
  }
}
