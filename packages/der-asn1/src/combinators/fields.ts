import type { Schema } from '../schema.js';

/** Marks a SEQUENCE component as OPTIONAL: absent on the wire, absent (or undefined) in the value. */
export interface OptionalField<T> {
  readonly kind: 'optional';
  readonly schema: Schema<T>;
}

/**
 * Marks a SEQUENCE component as DEFAULT: absent on the wire means `value`. DER (X.690
 * §11.5) forbids encoding the default, so the encoder omits it and the decoder rejects it.
 */
export interface DefaultField<T> {
  readonly kind: 'default';
  readonly schema: Schema<T>;
  readonly value: T;
  equals(a: T, b: T): boolean;
}

export const optional = <T>(schema: Schema<T>): OptionalField<T> => ({ kind: 'optional', schema });

function sameValue<T>(a: T, b: T): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b);
}

export const defaulted = <T>(
  schema: Schema<T>,
  value: T,
  equals: (a: T, b: T) => boolean = sameValue,
): DefaultField<T> => ({ kind: 'default', schema, value, equals });
