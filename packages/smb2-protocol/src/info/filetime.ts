/**
 * FILETIME (MS-DTYP §2.3.3): a signed 64-bit count of 100-nanosecond intervals since
 * 1601-01-01 UTC. The info classes keep it as a `bigint` exactly as on the wire (signed), so
 * the special values of SET_INFO survive a round-trip (MS-FSCC §2.4.7): 0 = "do not change",
 * -1 = "stop updating this time for the handle", -2 = "resume updating it".
 */

/** 100-ns intervals between 1601-01-01 and 1970-01-01. */
export const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** Special FILETIME values (MS-FSCC §2.4.7, FileBasicInformation in SET_INFO). */
export const FileTime = {
  /** Not set / leave unchanged. */
  NOT_SET: 0n,
  /** SET_INFO: the server stops updating this time for operations on the handle. */
  SUSPEND_UPDATES: -1n,
  /** SET_INFO: the server resumes updating this time (undoes -1). */
  RESUME_UPDATES: -2n,
} as const;

/** A FILETIME for a `Date` (millisecond precision); dates before 1601 are a RangeError. */
export function dateToFiletime(date: Date): bigint {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  const ft = BigInt(ms) * 10_000n + FILETIME_UNIX_EPOCH;
  if (ft < 0n) throw new RangeError('dates before 1601 have no FILETIME');
  return ft;
}

/** The `Date` of a FILETIME (truncated to milliseconds); `undefined` for 0 and the negative special values. */
export function filetimeToDate(ft: bigint): Date | undefined {
  if (ft <= 0n) return undefined;
  const ms = (ft - FILETIME_UNIX_EPOCH) / 10_000n;
  // Beyond what a Date can hold (±8.64e15 ms).
  if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n) return undefined;
  return new Date(Number(ms));
}

/** A FILETIME for nanoseconds since the Unix epoch (e.g. `fs.stat(path, { bigint: true }).mtimeNs`). */
export function unixNsToFiletime(ns: bigint): bigint {
  const ft = ns / 100n + FILETIME_UNIX_EPOCH;
  if (ft < 0n) throw new RangeError('times before 1601 have no FILETIME');
  return ft;
}

/** Nanoseconds since the Unix epoch for a FILETIME (meaningful only for ft > 0). */
export function filetimeToUnixNs(ft: bigint): bigint {
  return (ft - FILETIME_UNIX_EPOCH) * 100n;
}
