/** The SMB2 header, Direct TCP framing, compound chaining and the bounds-checked reader. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinCompound, splitCompound } from '../src/compound.js';
import { DirectTcpFramer, directTcpHeader, frameDirectTcp } from '../src/framing.js';
import {
  Command,
  HEADER_SIZE,
  HeaderFlags,
  readHeader,
  type Smb2Header,
  writeHeader,
} from '../src/header.js';
import { SmbDecodeError } from '../src/wire/errors.js';
import { Reader } from '../src/wire/reader.js';
import { Writer } from '../src/wire/writer.js';

const sync: Smb2Header = {
  creditCharge: 1,
  status: 0,
  command: Command.CREATE,
  credits: 31,
  flags: HeaderFlags.SIGNED,
  nextCommand: 0,
  messageId: 7n,
  reserved: 0xfeff,
  treeId: 0x1234,
  sessionId: 0x0000100000000025n,
  signature: new Uint8Array(16).fill(0xaa),
};

function encodeHeader(h: Smb2Header): Uint8Array {
  const w = new Writer();
  writeHeader(w, h);
  return w.finish();
}

describe('SMB2 header', () => {
  it('round-trips the sync and async forms', () => {
    const bytes = encodeHeader(sync);
    expect(bytes.length).toBe(HEADER_SIZE);
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0xfe, 0x53, 0x4d, 0x42, 64, 0]);
    expect(readHeader(new Reader(bytes))).toEqual(sync);
    const { reserved: _r, treeId: _t, ...rest } = sync;
    const async: Smb2Header = {
      ...rest,
      flags: HeaderFlags.SERVER_TO_REDIR | HeaderFlags.ASYNC_COMMAND,
      status: 0x00000103,
      asyncId: 0x1122334455667788n,
    };
    const expected = async;
    expect(readHeader(new Reader(encodeHeader(async)))).toEqual(expected);
  });

  it('refuses a wrong protocol id, structure size or a short header', () => {
    const bytes = encodeHeader(sync);
    const bad = bytes.slice();
    bad[0] = 0xff;
    expect(() => readHeader(new Reader(bad))).toThrow(SmbDecodeError);
    const size = bytes.slice();
    size[4] = 65;
    expect(() => readHeader(new Reader(size))).toThrow(/StructureSize/);
    expect(() => readHeader(new Reader(bytes.subarray(0, 63)))).toThrow(SmbDecodeError);
  });

  it('random bytes give a header or SmbDecodeError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          readHeader(new Reader(bytes));
        } catch (e) {
          expect(e).toBeInstanceOf(SmbDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Direct TCP framing', () => {
  it('frames and unframes, across arbitrary chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 17 }),
        (frames, step) => {
          const stream = new Uint8Array(frames.reduce((n, f) => n + f.length + 4, 0));
          let at = 0;
          for (const f of frames) {
            stream.set(frameDirectTcp(f), at);
            at += f.length + 4;
          }
          const framer = new DirectTcpFramer();
          const out: Uint8Array[] = [];
          for (let i = 0; i < stream.length; i += step) {
            framer.push(stream.subarray(i, i + step));
            for (let f = framer.next(); f !== undefined; f = framer.next()) out.push(f);
          }
          expect(out).toEqual(frames);
          expect(framer.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a nonzero first byte and an oversized frame', () => {
    const framer = new DirectTcpFramer(100);
    framer.push(Uint8Array.of(1, 0, 0, 1, 0));
    expect(() => framer.next()).toThrow(SmbDecodeError);
    const big = new DirectTcpFramer(100);
    big.push(directTcpHeader(101));
    expect(() => big.next()).toThrow(/exceeds/);
    expect(() => directTcpHeader(0x1000000)).toThrow(RangeError);
  });

  it('assembles a frame spanning chunks into memory from `allocate`, and checks its size', () => {
    const recycled = new Uint8Array(64).fill(0xee);
    const asked: number[] = [];
    const framer = new DirectTcpFramer(100, {
      allocate: (n) => {
        asked.push(n);
        return recycled.subarray(0, n);
      },
    });
    const payload = Uint8Array.from({ length: 40 }, (_, i) => i);
    const framed = frameDirectTcp(payload);
    framer.push(framed.subarray(0, 10));
    framer.push(framed.subarray(10));
    const frame = framer.next();
    expect(frame).toEqual(payload);
    expect(frame?.buffer).toBe(recycled.buffer);
    expect(asked).toEqual([40]);
    const wrong = new DirectTcpFramer(100, { allocate: () => new Uint8Array(3) });
    wrong.push(framed.subarray(0, 10));
    wrong.push(framed.subarray(10));
    expect(() => wrong.next()).toThrow(RangeError);
  });
});

describe('compounds', () => {
  it('joins with 8-byte padding and NextCommand, and splits back', () => {
    const a = new Uint8Array(HEADER_SIZE + 5).fill(1);
    const b = new Uint8Array(HEADER_SIZE + 9).fill(2);
    const c = new Uint8Array(HEADER_SIZE + 1).fill(3);
    const frame = joinCompound([a, b, c]);
    const spans = splitCompound(frame);
    expect(spans.map((s) => s.end - s.start)).toEqual([72, 80, 65]);
    const view = new DataView(frame.buffer);
    expect([view.getUint32(20, true), view.getUint32(72 + 20, true), view.getUint32(152 + 20, true)]).toEqual(
      [72, 80, 0],
    );
  });

  it('refuses misaligned, backward or out-of-frame NextCommand values', () => {
    const frame = joinCompound([new Uint8Array(HEADER_SIZE), new Uint8Array(HEADER_SIZE)]);
    const view = new DataView(frame.buffer);
    for (const next of [12, 8, 4096, 64 + 4]) {
      view.setUint32(20, next, true);
      expect(() => splitCompound(frame)).toThrow(SmbDecodeError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          const spans = splitCompound(bytes);
          for (const s of spans) expect(s.end).toBeLessThanOrEqual(bytes.length);
        } catch (e) {
          expect(e).toBeInstanceOf(SmbDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Reader bounds', () => {
  it('checks every read and every (offset, length) pair against the message', () => {
    const msg = new Uint8Array(100);
    const r = new Reader(msg, 10, 90, 'TEST');
    r.pos = 88;
    expect(() => r.u32('X')).toThrow(/needs 4 bytes, 2 left/);
    expect(() => r.at(70, 20, 'Buf')).toThrow(/outside the message/);
    expect(r.at(70, 10, 'Buf').length).toBe(10);
    expect(r.at(5000, 0, 'Empty').length).toBe(0);
    expect(() => r.at(-1, 2, 'Neg')).toThrow(SmbDecodeError);
  });
});
