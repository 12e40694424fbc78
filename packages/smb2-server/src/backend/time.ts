/** FILETIME (100 ns ticks since 1601-01-01 UTC, MS-DTYP §2.3.3) ⇄ POSIX nanoseconds. */

/** 100-ns ticks between 1601-01-01 and 1970-01-01. */
export const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** FILETIME of a POSIX time in nanoseconds (`Stats.mtimeNs` of a bigint stat). */
export const nsToFiletime = (ns: bigint): bigint =>
  ns <= -FILETIME_UNIX_EPOCH * 100n ? 0n : ns / 100n + FILETIME_UNIX_EPOCH;

/** POSIX seconds (fractional, for `futimes`) of a FILETIME. */
export const filetimeToSeconds = (ft: bigint): number => Number(ft - FILETIME_UNIX_EPOCH) / 1e7;

/** FILETIME of a JavaScript `Date` / milliseconds. */
export const msToFiletime = (ms: number): bigint => BigInt(Math.round(ms * 10_000)) + FILETIME_UNIX_EPOCH;
