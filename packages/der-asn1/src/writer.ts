import { MAX_TAG_NUMBER } from './tag.js';

/**
 * A DER writer that fills its buffer from the end towards the start. Content is written
 * before its length and tag, so a length is always known when it is written and nothing
 * is encoded twice (the approach of BoringSSL's CBB and of most fast DER encoders).
 */
export class ReverseWriter {
  private buffer: Uint8Array;
  private pos: number;

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(initialCapacity);
    this.pos = initialCapacity;
  }

  /** Number of bytes written so far. */
  get size(): number {
    return this.buffer.length - this.pos;
  }

  private reserve(count: number): void {
    if (this.pos >= count) return;
    const used = this.buffer.length - this.pos;
    let capacity = this.buffer.length * 2;
    while (capacity - used < count) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(this.pos), capacity - used);
    this.buffer = next;
    this.pos = capacity - used;
  }

  writeByte(value: number): void {
    if (this.pos === 0) this.reserve(1);
    this.buffer[--this.pos] = value;
  }

  writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.pos -= bytes.length;
    this.buffer.set(bytes, this.pos);
  }

  /** Writes a DER length (X.690 §10.1: shortest form). */
  writeLength(length: number): void {
    if (length < 0x80) {
      this.writeByte(length);
      return;
    }
    let count = 0;
    let rest = length;
    while (rest > 0) {
      this.writeByte(rest & 0xff);
      rest = Math.floor(rest / 256);
      count++;
    }
    this.writeByte(0x80 | count);
  }

  /**
   * Writes a DER length and then a one-octet identifier (`lead`: class, constructed bit and a
   * tag number below 31) in front of what was written: the header of the usual element.
   */
  writeShortHeader(lead: number, length: number): void {
    if (length < 0x80 && this.pos >= 2) {
      const buffer = this.buffer;
      buffer[--this.pos] = length;
      buffer[--this.pos] = lead;
      return;
    }
    this.writeLength(length);
    this.writeByte(lead);
  }

  /** Writes an identifier octet (or octets, for tag numbers >= 31). */
  writeTag(tagClass: number, constructed: boolean, tagNumber: number): void {
    const lead = (tagClass << 6) | (constructed ? 0x20 : 0);
    if (tagNumber < 0x1f) {
      this.writeByte(lead | tagNumber);
      return;
    }
    if (tagNumber > MAX_TAG_NUMBER) throw new RangeError('tag number too large');
    let rest = tagNumber;
    this.writeByte(rest & 0x7f);
    rest >>>= 7;
    while (rest > 0) {
      this.writeByte(0x80 | (rest & 0x7f));
      rest >>>= 7;
    }
    this.writeByte(lead | 0x1f);
  }

  /** The encoding, as a fresh array the caller owns. */
  finish(): Uint8Array {
    return this.buffer.slice(this.pos);
  }

  /**
   * Empties the writer for reuse, zeroing what was written (encodings may hold keys).
   * Returns false, keeping nothing, when the buffer has grown past 64 KiB.
   */
  reset(): boolean {
    this.buffer.fill(0, this.pos);
    this.pos = this.buffer.length;
    return this.buffer.length <= 0x10000;
  }
}
