/** RFC 4120 §5.9: KRB-ERROR, METHOD-DATA and TYPED-DATA. */
import {
  application,
  DecodeError,
  type DecodeOptions,
  decode,
  explicit,
  type Infer,
  integer,
  octetString,
  optional,
  sequenceOf,
} from '@postntlm/der-asn1';
import {
  Int32,
  KerberosString,
  KerberosTime,
  krbSequence,
  MethodData,
  Microseconds,
  type PaData,
  PrincipalName,
  Realm,
} from './basic.js';
import { Pvno } from './ticket.js';

/** KRB-ERROR ::= [APPLICATION 30] SEQUENCE { pvno [0] ... e-data [12] OPTIONAL }, §5.9.1. */
export const KrbError = application(
  30,
  krbSequence('KRB-ERROR', {
    pvno: explicit(0, Pvno),
    msgType: explicit(1, integer({ min: 30, max: 30 })),
    ctime: optional(explicit(2, KerberosTime)),
    cusec: optional(explicit(3, Microseconds)),
    stime: explicit(4, KerberosTime),
    susec: explicit(5, Microseconds),
    errorCode: explicit(6, Int32),
    crealm: optional(explicit(7, Realm)),
    cname: optional(explicit(8, PrincipalName)),
    realm: explicit(9, Realm),
    sname: explicit(10, PrincipalName),
    eText: optional(explicit(11, KerberosString)),
    eData: optional(explicit(12, octetString())),
  }),
  'KRB-ERROR',
);
export type KrbError = Infer<typeof KrbError>;

/** TYPED-DATA ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { data-type [0] Int32, data-value [1] OCTET STRING OPTIONAL }. */
export const TypedData = sequenceOf(
  krbSequence('TYPED-DATA', {
    dataType: explicit(0, Int32),
    dataValue: optional(explicit(1, octetString())),
  }),
  { name: 'TYPED-DATA', min: 1 },
);
export type TypedData = Infer<typeof TypedData>;

/**
 * KERB-ERROR-DATA ::= SEQUENCE { data-type [1] INTEGER, data-value [2] OCTET STRING OPTIONAL },
 * MS-KILE §2.2.2: what Windows KDCs put in e-data for most errors (data-type 3 carries a
 * KERB-EXT-ERROR with the NTSTATUS, see `kerbExtError`).
 */
export const KerbErrorData = krbSequence('KERB-ERROR-DATA', {
  dataType: explicit(1, Int32),
  dataValue: optional(explicit(2, octetString())),
});
export type KerbErrorData = Infer<typeof KerbErrorData>;

/** KERB-ERROR-DATA data-type values, MS-KILE §2.2.2. */
export const KerbErrorDataType = {
  KERB_AP_ERR_TYPE_SKEW_RECOVERY: 2,
  KERB_ERR_TYPE_EXTENDED: 3,
} as const;

/** KERB-EXT-ERROR, MS-KILE §2.2.1: 12 bytes, little-endian `status` (NTSTATUS), `reserved`, `flags`. */
export interface KerbExtError {
  readonly status: number;
  readonly reserved: number;
  readonly flags: number;
}

/** Parses the 12-byte KERB-EXT-ERROR of a KERB-ERROR-DATA with data-type 3; `undefined` otherwise. */
export function kerbExtError(data: KerbErrorData): KerbExtError | undefined {
  const value = data.dataValue;
  if (
    data.dataType !== KerbErrorDataType.KERB_ERR_TYPE_EXTENDED ||
    value === undefined ||
    value.length !== 12
  ) {
    return undefined;
  }
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return {
    status: view.getUint32(0, true),
    reserved: view.getUint32(4, true),
    flags: view.getUint32(8, true),
  };
}

/** The e-data of a KRB-ERROR, told apart by its shape (the three forms have disjoint tags). */
export type ErrorData =
  | { readonly kind: 'method-data'; readonly value: PaData[] }
  | { readonly kind: 'typed-data'; readonly value: TypedData }
  | { readonly kind: 'kerb-error-data'; readonly value: KerbErrorData }
  | { readonly kind: 'unknown'; readonly bytes: Uint8Array };

/**
 * Decodes KRB-ERROR e-data: METHOD-DATA (RFC 4120 §5.9.1, e.g. with KDC_ERR_PREAUTH_REQUIRED:
 * entries start with [1]), TYPED-DATA (§5.9.1: entries start with [0]) or Windows'
 * KERB-ERROR-DATA (MS-KILE §2.2.2: a single SEQUENCE starting with [1]). Anything else is
 * returned as `unknown` with its bytes; this function never throws.
 */
export function decodeErrorData(eData: Uint8Array, options?: DecodeOptions): ErrorData {
  for (const attempt of [
    () => ({ kind: 'method-data' as const, value: decode(MethodData, eData, options) }),
    () => ({ kind: 'typed-data' as const, value: decode(TypedData, eData, options) }),
    () => ({ kind: 'kerb-error-data' as const, value: decode(KerbErrorData, eData, options) }),
  ]) {
    try {
      return attempt();
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
    }
  }
  return { kind: 'unknown', bytes: eData };
}
