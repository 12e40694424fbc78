import { DecodeError } from '../errors.js';
import { readHeader } from '../reader.js';
import { type DecodeContext, enter, type Schema, TaggedSchema } from '../schema.js';
import { describeTag, TagClass } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

/**
 * An EXPLICIT tag (X.690 §8.14.2): a constructed wrapper holding exactly one inner element.
 * Kerberos uses this for every `[n]` component and for its `[APPLICATION n]` messages.
 */
export class ExplicitSchema<T> extends TaggedSchema<T> {
  constructor(
    tagClass: TagClass,
    tagNumber: number,
    readonly inner: Schema<T>,
    private readonly name?: string,
  ) {
    super(tagClass, tagNumber, true);
  }

  // A getter, not a field: reading `inner.typeName` here would resolve a `lazy` inner
  // schema while its recursive declaration is still being evaluated.
  get typeName(): string {
    return this.name ?? this.inner.typeName;
  }

  decodeContent(input: Uint8Array, start: number, end: number, context: DecodeContext): T {
    enter(context, start);
    const header = readHeader(input, start, end);
    if (!this.inner.matches(header.id)) {
      throw new DecodeError(`expected ${this.inner.typeName}, found ${describeTag(header.id)}`, header.start);
    }
    const value = this.inner.decodeElement(input, header, context);
    if (header.end !== end) {
      throw new DecodeError(`explicit tag ${describeTag(this.id)} holds more than one element`, header.end);
    }
    context.depth--;
    return value;
  }

  encodeContent(writer: ReverseWriter, value: T): void {
    this.inner.encodeElement(writer, value);
  }
}

/**
 * An IMPLICIT tag (X.690 §8.14.3): the inner type's content under another tag. The inner
 * type must have one fixed tag (an untagged CHOICE or ANY cannot be implicitly tagged).
 */
export class ImplicitSchema<T> extends TaggedSchema<T> {
  readonly typeName: string;
  constructor(
    tagClass: TagClass,
    tagNumber: number,
    readonly inner: TaggedSchema<T>,
  ) {
    super(tagClass, tagNumber, inner.constructed);
    this.typeName = inner.typeName;
  }
  decodeContent(input: Uint8Array, start: number, end: number, context: DecodeContext): T {
    return this.inner.decodeContent(input, start, end, context);
  }
  encodeContent(writer: ReverseWriter, value: T): void {
    this.inner.encodeContent(writer, value);
  }
}

function asTagged<T>(inner: Schema<T>): TaggedSchema<T> {
  if (!(inner instanceof TaggedSchema)) {
    throw new TypeError(`${inner.typeName} has no single tag and cannot be tagged IMPLICIT`);
  }
  return inner;
}

/** `[n] EXPLICIT` context tag (the Kerberos default). */
export const explicit = <T>(tagNumber: number, inner: Schema<T>): ExplicitSchema<T> =>
  new ExplicitSchema(TagClass.context, tagNumber, inner);
/** `[n] IMPLICIT` context tag. */
export const implicit = <T>(tagNumber: number, inner: Schema<T>): ImplicitSchema<T> =>
  new ImplicitSchema(TagClass.context, tagNumber, asTagged(inner));
/** `[APPLICATION n]` EXPLICIT, e.g. `AS-REQ ::= [APPLICATION 10] KDC-REQ`; `name` names the new type. */
export const application = <T>(tagNumber: number, inner: Schema<T>, name?: string): ExplicitSchema<T> =>
  new ExplicitSchema(TagClass.application, tagNumber, inner, name);
/** `[APPLICATION n] IMPLICIT`, e.g. GSS-API's InitialContextToken (RFC 2743 §3.1). */
export const applicationImplicit = <T>(tagNumber: number, inner: Schema<T>): ImplicitSchema<T> =>
  new ImplicitSchema(TagClass.application, tagNumber, asTagged(inner));
/** Any class, explicit or implicit, for the rare cases the shorthands do not cover. */
export const tagged = <T>(
  tagClass: TagClass,
  tagNumber: number,
  mode: 'explicit' | 'implicit',
  inner: Schema<T>,
): TaggedSchema<T> =>
  mode === 'explicit'
    ? new ExplicitSchema(tagClass, tagNumber, inner)
    : new ImplicitSchema(tagClass, tagNumber, asTagged(inner));
