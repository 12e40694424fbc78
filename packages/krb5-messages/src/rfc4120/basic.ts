/**
 * RFC 4120 §5.2: the basic types every Kerberos message is built from. All Kerberos
 * SEQUENCEs are declared extensible: MIT's decoder skips unknown trailing elements (and
 * Windows adds some, e.g. IAKERB-HEADER's header-flags), so we do too.
 */
import {
  explicit,
  type Fields,
  generalString,
  type Infer,
  integer,
  kerberosFlags,
  kerberosTime,
  mapped,
  octetString,
  optional,
  type Schema,
  type SequenceOptions,
  type SequenceSchema,
  sequence,
  sequenceOf,
} from '@postntlm/der-asn1';

/** Declares a Kerberos SEQUENCE: named for error paths and extensible, as MIT decodes them. */
export const krbSequence = <const F extends Fields>(
  name: string,
  fields: F,
  options: SequenceOptions = {},
): SequenceSchema<F> => sequence(fields, { name, extensible: true, ...options });

/** Int32 ::= INTEGER (-2147483648..2147483647), §5.2.4. */
export const Int32 = integer({ min: -0x80000000, max: 0x7fffffff });

/**
 * UInt32 ::= INTEGER (0..4294967295), §5.2.4, as MIT encodes it: values of 2^31 and above
 * go on the wire as the negative Int32 with the same bits (MIT's `enc_data(MSB-set kvno)`
 * vector is `02 04 FF 00 00 00`), and decoding accepts both forms and returns the unsigned
 * value. Used for kvno, nonce and seq-number.
 */
export const UInt32: Schema<number> = mapped(integer({ min: -0x80000000, max: 0xffffffff }), {
  name: 'UInt32',
  decode: (wire) => wire >>> 0,
  encode: (value) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`UInt32 must be 0..4294967295, got ${String(value)}`);
    }
    return value | 0;
  },
});

/** Microseconds ::= INTEGER (0..999999). */
export const Microseconds = integer({ min: 0, max: 999999 });

/** KerberosString ::= GeneralString (IA5String in the RFC; UTF-8 in practice). */
export const KerberosString = generalString();
/** Realm ::= KerberosString. */
export const Realm = KerberosString;
/** KerberosTime ::= GeneralizedTime, `YYYYMMDDHHMMSSZ`. */
export const KerberosTime = kerberosTime();
/** KerberosFlags ::= BIT STRING (SIZE (32..MAX)), as a 32-bit number. */
export const KerberosFlags = kerberosFlags();

/** PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString }, §5.2.2. */
export const PrincipalName = krbSequence('PrincipalName', {
  nameType: explicit(0, Int32),
  nameString: explicit(1, sequenceOf(KerberosString)),
});
export type PrincipalName = Infer<typeof PrincipalName>;

/** HostAddress ::= SEQUENCE { addr-type [0] Int32, address [1] OCTET STRING }, §5.2.5. */
export const HostAddress = krbSequence('HostAddress', {
  addrType: explicit(0, Int32),
  address: explicit(1, octetString()),
});
export type HostAddress = Infer<typeof HostAddress>;
/** HostAddresses ::= SEQUENCE OF HostAddress. */
export const HostAddresses = sequenceOf(HostAddress, { name: 'HostAddresses' });

/** AuthorizationData ::= SEQUENCE OF SEQUENCE { ad-type [0] Int32, ad-data [1] OCTET STRING }, §5.2.6. */
export const AuthorizationDataEntry = krbSequence('AuthorizationData', {
  adType: explicit(0, Int32),
  adData: explicit(1, octetString()),
});
export const AuthorizationData = sequenceOf(AuthorizationDataEntry, { name: 'AuthorizationData' });
export type AuthorizationData = Infer<typeof AuthorizationData>;
/** AD-IF-RELEVANT ::= AuthorizationData, §5.2.6.1. */
export const AdIfRelevant = AuthorizationData;

/** PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING }, §5.2.7 (tags start at 1). */
export const PaData = krbSequence('PA-DATA', {
  padataType: explicit(1, Int32),
  padataValue: explicit(2, octetString()),
});
export type PaData = Infer<typeof PaData>;
/** METHOD-DATA ::= SEQUENCE OF PA-DATA, §5.9.1. */
export const MethodData = sequenceOf(PaData, { name: 'METHOD-DATA' });

/** EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING }, §5.2.9. */
export const EncryptedData = krbSequence('EncryptedData', {
  etype: explicit(0, Int32),
  kvno: optional(explicit(1, UInt32)),
  cipher: explicit(2, octetString()),
});
export type EncryptedData = Infer<typeof EncryptedData>;

/** EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING }, §5.2.9. */
export const EncryptionKey = krbSequence('EncryptionKey', {
  keytype: explicit(0, Int32),
  keyvalue: explicit(1, octetString()),
});
export type EncryptionKey = Infer<typeof EncryptionKey>;

/** Checksum ::= SEQUENCE { cksumtype [0] Int32, checksum [1] OCTET STRING }, §5.2.9. */
export const Checksum = krbSequence('Checksum', {
  cksumtype: explicit(0, Int32),
  checksum: explicit(1, octetString()),
});
export type Checksum = Infer<typeof Checksum>;

/** AD-KDCIssued, §5.2.6.2. */
export const AdKdcIssued = krbSequence('AD-KDCIssued', {
  adChecksum: explicit(0, Checksum),
  iRealm: optional(explicit(1, Realm)),
  iSname: optional(explicit(2, PrincipalName)),
  elements: explicit(3, AuthorizationData),
});

/** AD-AND-OR, §5.2.6.3. */
export const AdAndOr = krbSequence('AD-AND-OR', {
  conditionCount: explicit(0, Int32),
  elements: explicit(1, AuthorizationData),
});

/** EtypeList ::= SEQUENCE OF Int32, RFC 4537 §2 (the ad-data of AD-ETYPE-NEGOTIATION, ad-type 129). */
export const EtypeList = sequenceOf(Int32, { name: 'EtypeList' });

/** TransitedEncoding ::= SEQUENCE { tr-type [0] Int32, contents [1] OCTET STRING }, §5.3. */
export const TransitedEncoding = krbSequence('TransitedEncoding', {
  trType: explicit(0, Int32),
  contents: explicit(1, octetString()),
});

/** LastReq ::= SEQUENCE OF SEQUENCE { lr-type [0] Int32, lr-value [1] KerberosTime }, §5.4.2. */
export const LastReq = sequenceOf(
  krbSequence('LastReq', { lrType: explicit(0, Int32), lrValue: explicit(1, KerberosTime) }),
  { name: 'LastReq' },
);
