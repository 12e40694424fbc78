/**
 * `RangeSet`: the allocated byte ranges of a sparse file, as half-open [start, end) bigint
 * intervals kept sorted, disjoint and merged. FSCTL_QUERY_ALLOCATED_RANGES (MS-FSCC §2.3)
 * answers from it; writes add to it, FSCTL_SET_ZERO_DATA and truncation take from it.
 *
 * A set holds at most MAX_RANGES ranges: past that, the smallest holes are filled (reported
 * allocated), so a client writing scattered bytes cannot grow it, or the time to update it,
 * without bound. Reporting zeros as allocated is allowed (MS-FSA's FSCTL_QUERY_ALLOCATED_RANGES only forbids
 * reporting data as a hole).
 */
export interface ByteRange {
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
}

export const MAX_RANGES = 1024;

/** The smaller of two bigints (Math.min takes numbers only). */
export function minBigInt(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

/** The larger of two bigints. */
export function maxBigInt(a: bigint, b: bigint): bigint {
  if (a > b) return a;
  return b;
}

export class RangeSet {
  #ranges: ByteRange[] = [];

  constructor(initial: readonly ByteRange[] = []) {
    for (const r of initial) this.add(r.start, r.end);
  }

  get size(): number {
    return this.#ranges.length;
  }

  /** Marks [start, end) as allocated, merging with touching or overlapping ranges. */
  add(start: bigint, end: bigint): void {
    if (end <= start) return;
    const out: ByteRange[] = [];
    let s = start;
    let e = end;
    let placed = false;
    for (const r of this.#ranges) {
      if (r.end < s) out.push(r);
      else if (r.start > e) {
        if (!placed) {
          out.push({ start: s, end: e });
          placed = true;
        }
        out.push(r);
      } else {
        s = minBigInt(r.start, s);
        e = maxBigInt(r.end, e);
      }
    }
    if (!placed) out.push({ start: s, end: e });
    this.#ranges = out.length > MAX_RANGES ? fillSmallHoles(out) : out;
  }

  /** Marks [start, end) as not allocated, splitting a range that spans it. */
  remove(start: bigint, end: bigint): void {
    if (end <= start) return;
    const out: ByteRange[] = [];
    for (const r of this.#ranges) {
      if (r.end <= start || r.start >= end) {
        out.push(r);
        continue;
      }
      if (r.start < start) out.push({ start: r.start, end: start });
      if (r.end > end) out.push({ start: end, end: r.end });
    }
    this.#ranges = out;
  }

  /** The allocated parts of [start, end), in order. */
  within(start: bigint, end: bigint): ByteRange[] {
    const out: ByteRange[] = [];
    for (const r of this.#ranges) {
      if (r.end <= start || r.start >= end) continue;
      out.push({ start: maxBigInt(r.start, start), end: minBigInt(r.end, end) });
    }
    return out;
  }
}

/** Merges neighbours across the smallest holes, doubling the hole size, until MAX_RANGES fit. */
function fillSmallHoles(ranges: readonly ByteRange[]): ByteRange[] {
  let out = [...ranges];
  for (let hole = 1n; out.length > MAX_RANGES; hole *= 2n) {
    const merged: ByteRange[] = [];
    for (const r of out) {
      const last = merged[merged.length - 1];
      if (last !== undefined && r.start - last.end <= hole)
        merged[merged.length - 1] = { start: last.start, end: r.end };
      else merged.push(r);
    }
    out = merged;
  }
  return out;
}
