/**
 * An in-memory transport with a scripted server side: tests read what the client wrote
 * (decoded) and answer with whatever frames they like, split however they like.
 */
import {
  type BodyCodec,
  type DecodedMessage,
  decodeFrame,
  encodeMessage,
  frameDirectTcp,
  HeaderFlags,
  type Smb2Header,
} from '@postntlm/smb2-protocol';
import type { Transport, TransportEvents } from '../../src/connection/transport.js';

export class FakeTransport implements Transport {
  events: TransportEvents | undefined;
  /** Frames the client wrote (Direct TCP payloads). */
  readonly frames: Uint8Array[] = [];
  closed = false;
  #waiters: (() => void)[] = [];

  attach(events: TransportEvents): void {
    this.events = events;
  }

  write(chunks: readonly Uint8Array[]): void {
    let n = 0;
    for (const c of chunks) n += c.length;
    const all = new Uint8Array(n);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    this.frames.push(all.subarray(4));
    for (const w of this.#waiters.splice(0)) w();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events?.close();
  }

  /** Resolves once the client has written `count` frames. */
  async written(count: number): Promise<void> {
    while (this.frames.length < count) await new Promise<void>((r) => this.#waiters.push(r));
  }

  /** The messages of frame `i` (plaintext frames only). */
  messages(i: number): DecodedMessage[] {
    return decodeFrame(this.frames[i] as Uint8Array);
  }

  /** Delivers a frame to the client (optionally in pieces). */
  deliver(payload: Uint8Array, split?: number): void {
    const framed = frameDirectTcp(payload);
    if (split === undefined) this.events?.data(framed);
    else for (let i = 0; i < framed.length; i += split) this.events?.data(framed.subarray(i, i + split));
  }
}

/** A response header answering `request`. */
export function responseHeader(request: Smb2Header, extra: Partial<Smb2Header> = {}): Smb2Header {
  return {
    creditCharge: request.creditCharge,
    status: 0,
    command: request.command,
    credits: Math.max(1, request.credits),
    flags: HeaderFlags.SERVER_TO_REDIR,
    nextCommand: 0,
    messageId: request.messageId,
    reserved: 0,
    treeId: request.treeId ?? 0,
    sessionId: request.sessionId,
    signature: new Uint8Array(16),
    ...extra,
  };
}

export function encodeResponse<T>(header: Smb2Header, codec: BodyCodec<T>, body: T): Uint8Array {
  return encodeMessage(header, codec, body);
}
