/**
 * AES-GCM of big messages on a worker thread, in place in SharedArrayBuffer memory.
 *
 * node:crypto gives every update() a fresh, zero-filled output buffer, so sealing or opening
 * 8 MiB costs the thread about three passes over the bytes besides AES itself. A receiver
 * that also reads the socket and decodes on the same thread is then CPU-bound on GCM well
 * before the link is: our client's encrypted READs ran at 0.75x of smbclient's for that. Here
 * the worker does the GCM over the frame where it lies (a SharedArrayBuffer, which
 * `FramePool` hands out with `shared: true`), and the calling thread only waits.
 *
 * Messages under `minBytes`, ciphers other than GCM, memory that is not shared, and runtimes
 * without worker_threads or node:crypto take the ordinary in-place path on the calling
 * thread: the same bytes and errors either way.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { joinParts } from './bytes.js';
import type { CipherId } from './constants.js';
import { SmbCryptoError } from './errors.js';
import { nativeCrypto } from './native.js';
import {
  decryptMessage,
  type EncryptOptions,
  encryptMessageParts,
  isGcm,
  prepareOpening,
  prepareSealing,
  SIGNATURE_OFFSET,
} from './transform.js';

/** The worker: one job at a time, in order, each in 32 KiB slices (see transform.ts CHUNK). */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const SLICE = 32 * 1024;
const name = (key) => (key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm');
// Copies into shared memory go word by word only to 8-byte-aligned places (byte by byte
// otherwise, 6x slower), so the first slice is cut short to align the rest.
function run(c, regions) {
  for (const r of regions) {
    const v = new Uint8Array(r.buffer, r.offset, r.length);
    let at = 0;
    let end = Math.min(v.length, (8 - (r.offset % 8)) % 8 || SLICE);
    while (at < v.length) {
      v.set(c.update(v.subarray(at, end)), at);
      at = end;
      end = Math.min(v.length, at + SLICE);
    }
  }
}
parentPort.on('message', (m) => {
  try {
    if (m.op === 'open') {
      const d = crypto.createDecipheriv(name(m.key), m.key, m.nonce, { authTagLength: 16 });
      d.setAuthTag(m.tag);
      d.setAAD(m.aad);
      run(d, m.regions);
      try {
        d.final();
      } catch {
        for (const r of m.regions) new Uint8Array(r.buffer, r.offset, r.length).fill(0);
        parentPort.postMessage({ id: m.id, ok: false, integrity: true });
        return;
      }
      parentPort.postMessage({ id: m.id, ok: true });
    } else {
      const c = crypto.createCipheriv(name(m.key), m.key, m.nonce, { authTagLength: 16 });
      c.setAAD(m.aad);
      run(c, m.regions);
      c.final();
      parentPort.postMessage({ id: m.id, ok: true, tag: c.getAuthTag() });
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, message: String(e && e.message) });
  }
});
`;

/** Part of a SharedArrayBuffer the worker works on in place. */
interface Region {
  readonly buffer: SharedArrayBuffer;
  readonly offset: number;
  readonly length: number;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly integrity?: boolean;
  readonly message?: string;
  readonly tag?: Uint8Array;
}

export interface GcmOffloadOptions {
  /** Smaller messages are done on the calling thread (default 256 KiB). */
  readonly minBytes?: number;
  /** Worker threads; each job goes to the one with the fewest waiting (default 1). */
  readonly workers?: number;
}

const isShared = (b: Uint8Array): boolean =>
  typeof SharedArrayBuffer === 'function' && b.buffer instanceof SharedArrayBuffer;

const regionOf = (b: Uint8Array): Region => ({
  buffer: b.buffer as SharedArrayBuffer,
  offset: b.byteOffset,
  length: b.length,
});

interface Waiting {
  readonly resolve: (r: Reply) => void;
  readonly reject: (e: unknown) => void;
}

/** One worker thread and the jobs it has not answered yet. */
interface Lane {
  readonly worker: WorkerThreads.Worker;
  readonly waiting: Map<number, Waiting>;
}

/**
 * Worker threads (one by default) for in-place AES-GCM. `start()` gives undefined where it
 * cannot run; the workers never keep the process alive. `open`/`seal` mirror
 * `decryptMessage` and `encryptMessageParts` with `inPlace: true`.
 */
export class GcmOffload {
  readonly #lanes: Lane[];
  readonly #minBytes: number;
  #nextId = 0;
  #dead: SmbCryptoError | undefined;

  private constructor(workers: WorkerThreads.Worker[], minBytes: number) {
    this.#minBytes = minBytes;
    this.#lanes = workers.map((worker) => {
      const lane: Lane = { worker, waiting: new Map() };
      worker.on('message', (reply: Reply) => {
        const w = lane.waiting.get(reply.id);
        if (w === undefined) return;
        lane.waiting.delete(reply.id);
        if (lane.waiting.size === 0) worker.unref();
        w.resolve(reply);
      });
      worker.on('error', (e) => this.#die(e.message));
      worker.on('exit', (code) => this.#die(`exit code ${code}`));
      // After the listeners: adding a 'message' listener refs the worker's port again.
      worker.unref();
      return lane;
    });
  }

  /** One worker gone stops them all: every job waiting anywhere fails, later ones run here. */
  #die(why: string): void {
    if (this.#dead === undefined) {
      this.#dead = new SmbCryptoError('backend', `the AES-GCM worker stopped: ${why}`);
      for (const lane of this.#lanes) void lane.worker.terminate();
    }
    for (const lane of this.#lanes) {
      for (const w of lane.waiting.values()) w.reject(this.#dead);
      lane.waiting.clear();
    }
  }

  /** A worker, or undefined without worker_threads, SharedArrayBuffer or node:crypto. */
  static start(options: GcmOffloadOptions = {}): GcmOffload | undefined {
    if (typeof SharedArrayBuffer !== 'function' || nativeCrypto() === undefined) return undefined;
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    let threads: typeof WorkerThreads | undefined;
    try {
      threads = proc?.getBuiltinModule?.('node:worker_threads') as typeof WorkerThreads | undefined;
    } catch {
      threads = undefined;
    }
    if (typeof threads?.Worker !== 'function') return undefined;
    const minBytes = options.minBytes ?? 256 * 1024;
    if (!Number.isInteger(minBytes) || minBytes < 0)
      throw new SmbCryptoError('invalid-argument', 'minBytes must be a non-negative integer');
    const count = options.workers ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 64)
      throw new SmbCryptoError('invalid-argument', 'workers must be an integer from 1 to 64');
    const Worker = threads.Worker;
    const workers = Array.from({ length: count }, () => new Worker(WORKER_SOURCE, { eval: true }));
    return new GcmOffload(workers, minBytes);
  }

  /** Whether the worker has stopped (every call then runs on the calling thread). */
  get stopped(): boolean {
    return this.#dead !== undefined;
  }

  /** Stops the worker; later calls run on the calling thread. */
  async close(): Promise<void> {
    this.#dead ??= new SmbCryptoError('backend', 'the AES-GCM worker was closed');
    await Promise.all(this.#lanes.map((lane) => lane.worker.terminate()));
  }

  #use(shared: boolean, cipher: CipherId, bytes: number): boolean {
    return shared && this.#dead === undefined && isGcm(cipher) && bytes >= this.#minBytes;
  }

  #post(job: Record<string, unknown>): Promise<Reply> {
    const id = this.#nextId++;
    let lane = this.#lanes[0] as Lane;
    for (const l of this.#lanes) if (l.waiting.size < lane.waiting.size) lane = l;
    return new Promise<Reply>((resolve, reject) => {
      lane.waiting.set(id, { resolve, reject });
      lane.worker.ref();
      lane.worker.postMessage({ ...job, id });
    });
  }

  /**
   * `decryptMessage(frame, key, cipher, { inPlace: true })`: the plaintext over the frame's
   * ciphertext, as a view of it; SmbCryptoError('integrity') (and the region zeroed) on a bad tag.
   */
  async open(frame: Uint8Array, key: Uint8Array, cipher: CipherId): Promise<Uint8Array> {
    const o = prepareOpening(frame, key, cipher);
    if (!this.#use(isShared(frame), cipher, o.ciphertext.length))
      return decryptMessage(frame, key, cipher, { inPlace: true });
    const reply = await this.#post({
      op: 'open',
      key: o.key.slice(),
      nonce: o.nonce.slice(),
      aad: o.aad.slice(),
      tag: o.tag.slice(),
      regions: [regionOf(o.ciphertext)],
    });
    if (reply.integrity === true) throw new SmbCryptoError('integrity', 'AES-GCM tag mismatch');
    if (!reply.ok) throw new SmbCryptoError('backend', `AES-GCM decryption failed: ${reply.message}`);
    return o.ciphertext;
  }

  /**
   * `encryptMessageParts({ ...options, inPlace: true })`: `[header, ...parts]` with the parts
   * overwritten by their ciphertext. Parts in shared memory are sealed where they lie, the
   * others through a copy that comes back into them.
   */
  async seal(options: EncryptOptions): Promise<Uint8Array[]> {
    const s = prepareSealing({ ...options, inPlace: true });
    const bytes = s.parts.reduce((n, p) => n + p.length, 0);
    if (!this.#use(s.parts.some(isShared), s.cipher, bytes))
      return encryptMessageParts({ ...options, inPlace: true, nonce: s.nonce });
    // Unshared parts (a WRITE's 112 bytes of header) travel to the worker in one shared copy.
    const unshared = s.parts.filter((p) => !isShared(p) && p.length > 0);
    const scratch =
      unshared.length === 0
        ? undefined
        : new Uint8Array(new SharedArrayBuffer(unshared.reduce((n, p) => n + p.length, 0)));
    if (scratch !== undefined) scratch.set(joinParts(unshared));
    const regions: Region[] = [];
    let at = 0;
    for (const p of s.parts) {
      if (p.length === 0) continue;
      if (isShared(p)) regions.push(regionOf(p));
      else {
        regions.push(regionOf((scratch as Uint8Array).subarray(at, at + p.length)));
        at += p.length;
      }
    }
    const reply = await this.#post({
      op: 'seal',
      key: s.key.slice(),
      nonce: s.nonce.slice(),
      aad: s.aad.slice(),
      regions,
    });
    if (!reply.ok || reply.tag === undefined)
      throw new SmbCryptoError('backend', `AES-GCM encryption failed: ${reply.message}`);
    at = 0;
    for (const p of s.parts)
      if (!isShared(p) && p.length > 0) {
        p.set((scratch as Uint8Array).subarray(at, at + p.length));
        at += p.length;
      }
    s.header.set(reply.tag, SIGNATURE_OFFSET);
    return [s.header, ...s.parts.filter((p) => p.length > 0)];
  }
}
