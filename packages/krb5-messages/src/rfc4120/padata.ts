/** RFC 4120 §5.2.7 pre-authentication data values, and MS-KILE's PA-PAC-REQUEST. */
import { boolean, explicit, type Infer, octetString, optional, sequenceOf } from '@postntlm/der-asn1';
import { Int32, KerberosFlags, KerberosString, KerberosTime, krbSequence, Microseconds } from './basic.js';

/** PA-ENC-TS-ENC ::= SEQUENCE { patimestamp [0] KerberosTime, pausec [1] Microseconds OPTIONAL }, §5.2.7.2. */
export const PaEncTsEnc = krbSequence('PA-ENC-TS-ENC', {
  patimestamp: explicit(0, KerberosTime),
  pausec: optional(explicit(1, Microseconds)),
});
export type PaEncTsEnc = Infer<typeof PaEncTsEnc>;

/** ETYPE-INFO-ENTRY ::= SEQUENCE { etype [0] Int32, salt [1] OCTET STRING OPTIONAL }, §5.2.7.4. */
export const EtypeInfoEntry = krbSequence('ETYPE-INFO-ENTRY', {
  etype: explicit(0, Int32),
  salt: optional(explicit(1, octetString())),
});
/** ETYPE-INFO ::= SEQUENCE OF ETYPE-INFO-ENTRY. */
export const EtypeInfo = sequenceOf(EtypeInfoEntry, { name: 'ETYPE-INFO' });

/** ETYPE-INFO2-ENTRY ::= SEQUENCE { etype [0], salt [1] KerberosString OPTIONAL, s2kparams [2] OCTET STRING OPTIONAL }, §5.2.7.5. */
export const EtypeInfo2Entry = krbSequence('ETYPE-INFO2-ENTRY', {
  etype: explicit(0, Int32),
  salt: optional(explicit(1, KerberosString)),
  s2kparams: optional(explicit(2, octetString())),
});
export type EtypeInfo2Entry = Infer<typeof EtypeInfo2Entry>;
/** ETYPE-INFO2 ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY. */
export const EtypeInfo2 = sequenceOf(EtypeInfo2Entry, { name: 'ETYPE-INFO2', min: 1 });

/** KERB-PA-PAC-REQUEST ::= SEQUENCE { include-pac [0] BOOLEAN }, MS-KILE §2.2.3. */
export const PaPacRequest = krbSequence('PA-PAC-REQUEST', {
  includePac: explicit(0, boolean()),
});

/** PAC-OPTIONS-FLAGS bit positions, MS-KILE §2.2.10 / MS-SFU §2.2.5. */
export const PacOptionBits = {
  claims: 0,
  branchAware: 1,
  forwardToFullDc: 2,
  resourceBasedConstrainedDelegation: 3,
} as const;

/** PA-PAC-OPTIONS ::= SEQUENCE { flags [0] PAC-OPTIONS-FLAGS }, MS-KILE §2.2.10 (padata-type 167; MIT encodes 32 bits). */
export const PaPacOptions = krbSequence('PA-PAC-OPTIONS', {
  flags: explicit(0, KerberosFlags),
});
export type PaPacOptions = Infer<typeof PaPacOptions>;
