import { DecodeError, EncodeError } from '../errors.js';
import type { Header } from '../reader.js';
import { type DecodeContext, type Infer, Schema } from '../schema.js';
import { describeTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';

type Alternatives = Readonly<Record<string, Schema<unknown>>>;

/** The value of a CHOICE: which alternative, and its value. */
export type ChoiceValue<A extends Alternatives> = {
  [K in keyof A & string]: { readonly type: K; readonly value: Infer<A[K]> };
}[keyof A & string];

/** CHOICE (X.680 §29): the alternative is told by its tag; tags must be distinct. */
export class ChoiceSchema<A extends Alternatives> extends Schema<ChoiceValue<A>> {
  readonly typeName: string;
  readonly tagIds: readonly number[];
  private readonly byTag = new Map<number, [string, Schema<unknown>]>();

  constructor(
    readonly alternatives: A,
    name = 'CHOICE',
  ) {
    super();
    this.typeName = name;
    for (const [key, schema] of Object.entries(alternatives)) {
      if (schema.tagIds === undefined) throw new TypeError(`CHOICE alternative ${key} has no fixed tag`);
      for (const id of schema.tagIds) {
        if (this.byTag.has(id)) throw new TypeError(`CHOICE alternatives share the tag ${describeTag(id)}`);
        this.byTag.set(id, [key, schema]);
      }
    }
    this.tagIds = [...this.byTag.keys()];
  }

  override matches(id: number): boolean {
    return this.byTag.has(id);
  }

  decodeElement(input: Uint8Array, header: Header, context: DecodeContext): ChoiceValue<A> {
    const entry = this.byTag.get(header.id);
    if (entry === undefined) {
      throw new DecodeError(
        `${describeTag(header.id)} is not an alternative of ${this.typeName}`,
        header.start,
      );
    }
    const [type, schema] = entry;
    try {
      return { type, value: schema.decodeElement(input, header, context) } as ChoiceValue<A>;
    } catch (error) {
      if (error instanceof DecodeError) error.within(type);
      throw error;
    }
  }

  encodeElement(writer: ReverseWriter, value: ChoiceValue<A>): void {
    // Own keys only: `{ type: 'toString' }` must not find Object.prototype's members.
    const schema =
      typeof value === 'object' && value !== null && Object.hasOwn(this.alternatives, value.type)
        ? this.alternatives[value.type]
        : undefined;
    if (schema === undefined) {
      throw new EncodeError(`${this.typeName} value must be { type, value } with a known type`);
    }
    try {
      schema.encodeElement(writer, value.value);
    } catch (error) {
      if (error instanceof EncodeError) error.within(value.type);
      throw error;
    }
  }
}

export const choice = <const A extends Alternatives>(alternatives: A, name?: string): ChoiceSchema<A> =>
  new ChoiceSchema(alternatives, name);
