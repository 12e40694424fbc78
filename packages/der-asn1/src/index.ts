/**
 * @postntlm/der-asn1: a strict DER (ITU-T X.690 §10) reader and writer with typed schema
 * combinators. Declare a structure once; encoding, decoding and its TypeScript type follow.
 */
export { type DecodeOptions, decode, decodePrefix, encode } from './codec.js';
export { ChoiceSchema, type ChoiceValue, choice } from './combinators/choice.js';
export { type DefaultField, defaulted, type OptionalField, optional } from './combinators/fields.js';
export { type Captured, CapturedSchema, captured, RawSchema, raw } from './combinators/raw.js';
export {
  type FieldSpec,
  type Fields,
  type SequenceOptions,
  SequenceSchema,
  type SequenceValue,
  sequence,
} from './combinators/sequence.js';
export { type SequenceOfOptions, SequenceOfSchema, sequenceOf } from './combinators/sequence-of.js';
export {
  application,
  applicationImplicit,
  ExplicitSchema,
  explicit,
  ImplicitSchema,
  implicit,
  tagged,
} from './combinators/tagged.js';
export { LazySchema, lazy, MappedSchema, type Mapping, mapped } from './combinators/transform.js';
export { DecodeError, EncodeError } from './errors.js';
export { type KnownOid, Oid, type OidName, oidName } from './oid-registry.js';
export { type Header, readHeader } from './reader.js';
export { type DecodeContext, type DecodeLimits, type Infer, Schema, TaggedSchema } from './schema.js';
export { describeTag, MAX_TAG_NUMBER, TagClass, tagId, UniversalTag } from './tag.js';
export {
  BitStringSchema,
  type BitStringValue,
  bitString,
  FlagsSchema,
  flagNames,
  flagsFromNames,
  kerberosFlags,
  namedBits,
} from './types/bit-string.js';
export {
  BigIntegerSchema,
  bigInteger,
  enumerated,
  type IntegerRange,
  IntegerSchema,
  int32,
  integer,
  uint32,
} from './types/integer.js';
export { decodeOidContent, encodeOidContent, ObjectIdentifierSchema, objectIdentifier } from './types/oid.js';
export {
  BooleanSchema,
  boolean,
  NullSchema,
  nullValue,
  OctetStringSchema,
  octetString,
  type SizeRange,
} from './types/simple.js';
export { generalString, Ia5StringSchema, ia5String, Utf8StringSchema, utf8String } from './types/strings.js';
export { GeneralizedTimeSchema, generalizedTime, kerberosTime } from './types/time.js';
export { ReverseWriter } from './writer.js';
