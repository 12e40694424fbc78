/**
 * Minimal RFC 4120 encoders for the tests (AS-REQ and KRB-ERROR), written with der-asn1
 * directly so that these tests do not depend on krb5-messages.
 */
import {
  application,
  encode,
  explicit,
  generalString,
  int32,
  kerberosFlags,
  kerberosTime,
  optional,
  sequence,
  sequenceOf,
  uint32,
} from '@postntlm/der-asn1';

/** RFC 4120 §5.2.2 PrincipalName. */
const PrincipalName = sequence({
  nameType: explicit(0, int32()),
  nameString: explicit(1, sequenceOf(generalString())),
});

/** RFC 4120 §5.4.1 KDC-REQ-BODY (the fields a first AS-REQ uses). */
const KdcReqBody = sequence({
  kdcOptions: explicit(0, kerberosFlags()),
  cname: optional(explicit(1, PrincipalName)),
  realm: explicit(2, generalString()),
  sname: optional(explicit(3, PrincipalName)),
  till: explicit(5, kerberosTime()),
  nonce: explicit(7, uint32()),
  etype: explicit(8, sequenceOf(int32())),
});

/** RFC 4120 §5.4.1 AS-REQ ::= [APPLICATION 10] KDC-REQ (no padata). */
const AsReq = application(
  10,
  sequence({
    pvno: explicit(1, int32()),
    msgType: explicit(2, int32()),
    reqBody: explicit(4, KdcReqBody),
  }),
);

/** An AS-REQ for `client@realm` asking for krbtgt/realm, without pre-authentication. */
export function buildAsReq(
  client: string,
  realm: string,
  options: { etypes?: readonly number[]; nonce?: number } = {},
): Uint8Array {
  return encode(AsReq, {
    pvno: 5,
    msgType: 10,
    reqBody: {
      kdcOptions: 0x40810010, // forwardable, renewable, canonicalize, renewable-ok
      cname: { nameType: 1, nameString: [client] },
      realm,
      sname: { nameType: 2, nameString: ['krbtgt', realm] },
      till: new Date(Date.UTC(2037, 8, 13, 2, 48, 5)),
      // A fresh nonce each time: a KDC's lookaside cache treats identical requests as replays.
      nonce: options.nonce ?? Math.floor(Math.random() * 0x7fffffff),
      etype: [...(options.etypes ?? [18, 17, 20, 19])],
    },
  });
}

/** RFC 4120 §5.9.1 KRB-ERROR (the fields a KDC always sends, plus e-text). */
const KrbError = application(
  30,
  sequence({
    pvno: explicit(0, int32()),
    msgType: explicit(1, int32()),
    stime: explicit(4, kerberosTime()),
    susec: explicit(5, int32()),
    errorCode: explicit(6, int32()),
    realm: explicit(9, generalString()),
    sname: explicit(10, PrincipalName),
    eText: optional(explicit(11, generalString())),
  }),
);

export function buildKrbError(errorCode: number, realm = 'TEST.REALM', eText?: string): Uint8Array {
  return encode(KrbError, {
    pvno: 5,
    msgType: 30,
    stime: new Date(Date.UTC(2026, 0, 1)),
    susec: 0,
    errorCode,
    realm,
    sname: { nameType: 2, nameString: ['krbtgt', realm] },
    ...(eText === undefined ? {} : { eText }),
  });
}
