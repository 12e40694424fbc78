import { DecodeError, EncodeError } from '../errors.js';
import type { Header } from '../reader.js';
import { type DecodeContext, Schema } from '../schema.js';
import type { ReverseWriter } from '../writer.js';

export interface Mapping<T, U> {
  /** Turns the wire value into the API value; throw to reject (any Error becomes a DecodeError). */
  readonly decode: (wire: T) => U;
  readonly encode: (value: U) => T;
  /** Type name for errors (`PrincipalName`, `KerberosFlags`). */
  readonly name?: string;
}

/**
 * A schema whose API value is a mapped form of the wire value (a name table for an
 * enumerated code, a class around a SEQUENCE). A mapping function that throws becomes a
 * DecodeError / EncodeError with its message.
 */
export class MappedSchema<T, U> extends Schema<U> {
  readonly typeName: string;
  readonly tagIds: readonly number[] | undefined;
  constructor(
    readonly inner: Schema<T>,
    private readonly mapping: Mapping<T, U>,
  ) {
    super();
    this.typeName = mapping.name ?? inner.typeName;
    this.tagIds = inner.tagIds;
  }
  override matches(id: number): boolean {
    return this.inner.matches(id);
  }
  decodeElement(input: Uint8Array, header: Header, context: DecodeContext): U {
    const wire = this.inner.decodeElement(input, header, context);
    try {
      return this.mapping.decode(wire);
    } catch (error) {
      if (error instanceof DecodeError) throw error;
      throw new DecodeError(`${this.typeName}: ${(error as Error).message}`, header.start);
    }
  }
  encodeElement(writer: ReverseWriter, value: U): void {
    let wire: T;
    try {
      wire = this.mapping.encode(value);
    } catch (error) {
      if (error instanceof EncodeError) throw error;
      throw new EncodeError(`${this.typeName}: ${(error as Error).message}`);
    }
    this.inner.encodeElement(writer, wire);
  }
}

/** Maps a schema's value both ways. */
export const mapped = <T, U>(inner: Schema<T>, mapping: Mapping<T, U>): MappedSchema<T, U> =>
  new MappedSchema(inner, mapping);

/** A schema resolved on first use, for recursive types. */
export class LazySchema<T> extends Schema<T> {
  private resolved: Schema<T> | undefined;
  constructor(private readonly resolve: () => Schema<T>) {
    super();
  }
  private get target(): Schema<T> {
    if (this.resolved === undefined) this.resolved = this.resolve();
    return this.resolved;
  }
  get typeName(): string {
    return this.target.typeName;
  }
  get tagIds(): readonly number[] | undefined {
    return this.target.tagIds;
  }
  override matches(id: number): boolean {
    return this.target.matches(id);
  }
  decodeElement(input: Uint8Array, header: Header, context: DecodeContext): T {
    return this.target.decodeElement(input, header, context);
  }
  encodeElement(writer: ReverseWriter, value: T): void {
    this.target.encodeElement(writer, value);
  }
}

export const lazy = <T>(resolve: () => Schema<T>): LazySchema<T> => new LazySchema(resolve);
