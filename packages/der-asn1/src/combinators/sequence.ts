import { DecodeError, EncodeError } from '../errors.js';
import { readHeader } from '../reader.js';
import { type DecodeContext, enter, type Infer, type Schema, TaggedSchema } from '../schema.js';
import { describeTag, TagClass, UniversalTag } from '../tag.js';
import type { ReverseWriter } from '../writer.js';
import type { DefaultField, OptionalField } from './fields.js';

type AnySchema = Schema<unknown>;
export type FieldSpec = AnySchema | OptionalField<unknown> | DefaultField<unknown>;
export type Fields = Readonly<Record<string, FieldSpec>>;

type FieldValue<F> = F extends OptionalField<infer T> ? T : F extends DefaultField<infer T> ? T : Infer<F>;
type OptionalKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends OptionalField<unknown> ? K : never;
}[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type of a SEQUENCE: required components, then OPTIONAL ones as `?:`. */
export type SequenceValue<F extends Fields> = Simplify<
  { [K in RequiredKeys<F>]: FieldValue<F[K]> } & { [K in OptionalKeys<F>]?: FieldValue<F[K]> | undefined }
>;

interface Component {
  readonly name: string;
  readonly schema: AnySchema;
  readonly optional: boolean;
  readonly fallback: DefaultField<unknown> | undefined;
}

export interface SequenceOptions {
  /** ASN.1 type name for errors and paths (`EncryptedData`). */
  readonly name?: string;
  /**
   * An extensible SEQUENCE (`...` in the ASN.1): unknown elements after the known ones
   * are skipped instead of rejected, as MIT's decoder does for Kerberos types.
   */
  readonly extensible?: boolean;
}

/**
 * SEQUENCE (X.680 §25, X.690 §8.9): components decoded in order, OPTIONAL and DEFAULT
 * ones recognised by their tag. Unknown or misplaced elements are rejected unless the
 * type is extensible.
 */
export class SequenceSchema<F extends Fields> extends TaggedSchema<SequenceValue<F>> {
  readonly typeName: string;
  private readonly components: readonly Component[];
  private readonly extensible: boolean;

  constructor(
    readonly fields: F,
    options: SequenceOptions = {},
  ) {
    super(TagClass.universal, UniversalTag.sequence, true);
    this.typeName = options.name ?? 'SEQUENCE';
    this.extensible = options.extensible ?? false;
    this.components = Object.entries(fields).map(([name, spec]) => {
      if ('kind' in spec && spec.kind === 'optional') {
        return { name, schema: spec.schema, optional: true, fallback: undefined };
      }
      if ('kind' in spec && spec.kind === 'default') {
        return { name, schema: spec.schema, optional: true, fallback: spec as DefaultField<unknown> };
      }
      return { name, schema: spec as AnySchema, optional: false, fallback: undefined };
    });
  }

  decodeContent(input: Uint8Array, start: number, end: number, context: DecodeContext): SequenceValue<F> {
    enter(context, start);
    const out: Record<string, unknown> = {};
    let pos = start;
    let header = pos < end ? readHeader(input, pos, end) : undefined;
    for (const component of this.components) {
      if (header !== undefined && component.schema.matches(header.id)) {
        let value: unknown;
        try {
          value = component.schema.decodeElement(input, header, context);
        } catch (error) {
          if (error instanceof DecodeError) error.within(component.name);
          throw error;
        }
        if (component.fallback?.equals(value, component.fallback.value)) {
          throw new DecodeError('DEFAULT value must be omitted in DER', header.start, [component.name]);
        }
        out[component.name] = value;
        pos = header.end;
        header = pos < end ? readHeader(input, pos, end) : undefined;
      } else if (component.fallback !== undefined) {
        out[component.name] = component.fallback.value;
      } else if (!component.optional) {
        const found = header === undefined ? 'end of SEQUENCE' : describeTag(header.id);
        throw new DecodeError(`missing component ${component.name}: found ${found}`, header?.start ?? end);
      }
    }
    while (header !== undefined) {
      if (!this.extensible) {
        throw new DecodeError(
          `unexpected element ${describeTag(header.id)} in ${this.typeName}`,
          header.start,
        );
      }
      pos = header.end;
      header = pos < end ? readHeader(input, pos, end) : undefined;
    }
    context.depth--;
    return out as SequenceValue<F>;
  }

  encodeContent(writer: ReverseWriter, value: SequenceValue<F>): void {
    if (typeof value !== 'object' || value === null)
      throw new EncodeError(`${this.typeName} must be an object`);
    const record = value as Record<string, unknown>;
    for (let i = this.components.length - 1; i >= 0; i--) {
      const component = this.components[i]!;
      const item = record[component.name];
      if (item === undefined) {
        if (component.optional) continue;
        throw new EncodeError(`missing component ${component.name}`);
      }
      if (component.fallback?.equals(item, component.fallback.value)) continue;
      try {
        component.schema.encodeElement(writer, item);
      } catch (error) {
        if (error instanceof EncodeError) error.within(component.name);
        throw error;
      }
    }
  }
}

/** Declares a SEQUENCE from its components, in order. */
export const sequence = <const F extends Fields>(fields: F, options?: SequenceOptions): SequenceSchema<F> =>
  new SequenceSchema(fields, options);
