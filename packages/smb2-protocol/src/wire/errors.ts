/** Typed failures of the SMB2 codecs: what was being read, where, and why. */

/** Malformed input: truncated, a length or offset outside the message, a wrong StructureSize... */
export class SmbDecodeError extends Error {
  override readonly name = 'SmbDecodeError';
  constructor(
    /** Where in the structure, e.g. `CREATE Request.NameOffset`. */
    readonly path: string,
    /** Byte offset in the message where it went wrong. */
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${path} at offset ${offset}: ${reason}`);
  }
}

/** A value that cannot be encoded (out of range, too long). */
export class SmbEncodeError extends Error {
  override readonly name = 'SmbEncodeError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
