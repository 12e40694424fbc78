/**
 * Setting times through FileBasicInformation (MS-FSCC §2.4.7): a time of 0 means "leave it",
 * -1 would mean "stop updating it"; attributes 0 leave the attributes alone.
 */
import { dateToFiletime, type FileBasicInformation } from '@postntlm/smb2-protocol';

export interface TimesToSet {
  readonly atime?: Date;
  readonly mtime?: Date;
  readonly birthtime?: Date;
}

export function timesInfo(times: TimesToSet): FileBasicInformation {
  const ft = (d: Date | undefined): bigint => (d === undefined ? 0n : dateToFiletime(d));
  return {
    creationTime: ft(times.birthtime),
    lastAccessTime: ft(times.atime),
    lastWriteTime: ft(times.mtime),
    changeTime: 0n,
    fileAttributes: 0,
  };
}
