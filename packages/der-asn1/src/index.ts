/**
 * @postntlm/der-asn1: a strict DER (ITU-T X.690 §10) reader and writer with typed schema
 * combinators. Declare a structure once; encoding, decoding and its TypeScript type follow.
 */
export { decode, decodePrefix, encode, type DecodeOptions } from './codec.js';
export { DecodeError, EncodeError } from './errors.js';
export { readHeader, type Header } from './reader.js';
export { ReverseWriter } from './writer.js';
export { describeTag, MAX_TAG_NUMBER, TagClass, tagId, UniversalTag } from './tag.js';
export { Schema, TaggedSchema, type DecodeContext, type DecodeLimits, type Infer } from './schema.js';
export { Oid, oidName, type KnownOid, type OidName } from './oid-registry.js';

export {
  bigInteger,
  BigIntegerSchema,
  enumerated,
  int32,
  integer,
  IntegerSchema,
  uint32,
  type IntegerRange,
} from './types/integer.js';
export {
  boolean,
  BooleanSchema,
  nullValue,
  NullSchema,
  octetString,
  OctetStringSchema,
  type SizeRange,
} from './types/simple.js';
export {
  bitString,
  BitStringSchema,
  FlagsSchema,
  flagNames,
  flagsFromNames,
  kerberosFlags,
  namedBits,
  type BitStringValue,
} from './types/bit-string.js';
export { generalString, ia5String, Ia5StringSchema, utf8String, Utf8StringSchema } from './types/strings.js';
export { generalizedTime, GeneralizedTimeSchema, kerberosTime } from './types/time.js';
export { decodeOidContent, encodeOidContent, objectIdentifier, ObjectIdentifierSchema } from './types/oid.js';

export { defaulted, optional, type DefaultField, type OptionalField } from './combinators/fields.js';
export {
  sequence,
  SequenceSchema,
  type FieldSpec,
  type Fields,
  type SequenceOptions,
  type SequenceValue,
} from './combinators/sequence.js';
export { sequenceOf, SequenceOfSchema, type SequenceOfOptions } from './combinators/sequence-of.js';
export {
  application,
  applicationImplicit,
  explicit,
  ExplicitSchema,
  implicit,
  ImplicitSchema,
  tagged,
} from './combinators/tagged.js';
export { choice, ChoiceSchema, type ChoiceValue } from './combinators/choice.js';
export { captured, CapturedSchema, raw, RawSchema, type Captured } from './combinators/raw.js';
export { lazy, LazySchema, mapped, MappedSchema, type Mapping } from './combinators/transform.js';
