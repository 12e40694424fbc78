/** The one error type of the PAC module: malformed input to a parser or invalid input to an encoder. */
export class PacError extends Error {
  override readonly name = 'PacError';
}

/** Throws a PacError unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new PacError(message);
}
