/** Hand-built MIT file bytes for tests: fields written one by one, in either byte order. */
export class Builder {
  private parts: number[] = [];
  constructor(private readonly little = false) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const b = [(v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.little ? b.reverse() : b));
    return this;
  }
  u32(v: number): this {
    const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.little ? b.reverse() : b));
    return this;
  }
  raw(b: ArrayLike<number>): this {
    this.parts.push(...Array.from(b));
    return this;
  }
  str16(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u16(b.length).raw(b);
  }
  str32(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).raw(b);
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The error `f` throws, or a failure if it returns. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
