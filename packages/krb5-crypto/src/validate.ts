/**
 * Argument checks for the public API: every bad argument becomes an InvalidInputError.
 * The byte and integer checks are the primitives layer's own, under the names this layer uses.
 */
import { InvalidInputError } from './errors.js';
import { isBytes } from './primitives/index.js';

export { checkBytes as requireBytes, checkInteger as requireLength } from './primitives/assert.js';

export function requireBytesOrString(name: string, value: unknown): asserts value is Uint8Array | string {
  if (typeof value !== 'string' && !isBytes(value)) {
    throw new InvalidInputError(`${name} must be a string or a Uint8Array`);
  }
}
