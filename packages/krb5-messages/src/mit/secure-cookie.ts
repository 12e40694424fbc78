/**
 * MIT krb5's PA-FX-COOKIE contents (`src/lib/krb5/asn.1/asn1_k_encode.c`, `secure_cookie`),
 * encrypted by the KDC with a key usage of its own; other KDCs treat the cookie as opaque.
 */
import { type Infer, integer, sequenceOf } from '@postntlm/der-asn1';
import { krbSequence, PaData } from '../rfc4120/basic.js';

/**
 * SecureCookie ::= SEQUENCE { time INTEGER, data SEQUENCE OF PA-DATA, ... } (no context tags).
 * `time` is the creation time in seconds since the Unix epoch (MIT's `time_t`).
 */
export const SecureCookie = krbSequence('SecureCookie', {
  time: integer(),
  data: sequenceOf(PaData),
});
export type SecureCookie = Infer<typeof SecureCookie>;
