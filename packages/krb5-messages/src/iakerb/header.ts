/**
 * IAKerb (draft-ietf-kitten-iakerb) header and finished message.
 *
 *   IAKERB-HEADER ::= SEQUENCE { target-realm [1] UTF8String, cookie [2] OCTET STRING OPTIONAL,
 *                                header-flags [3] BIT STRING OPTIONAL -- Microsoft --, ... }
 *   IAKERB-FINISHED ::= SEQUENCE { iakerb-mic [1] Checksum, ... }
 *
 * MIT before 1.22 encoded target-realm as an OCTET STRING; both forms decode, and
 * `realmEncoding` says which one came (and selects the one to send).
 */
import {
  bitString,
  choice,
  explicit,
  type Infer,
  mapped,
  octetString,
  optional,
  utf8String,
} from '@postntlm/der-asn1';
import { Checksum, krbSequence } from '../rfc4120/basic.js';

const IakerbHeaderWire = krbSequence('IAKERB-HEADER', {
  targetRealm: explicit(1, choice({ utf8: utf8String(), octets: octetString() }, 'target-realm')),
  cookie: optional(explicit(2, octetString())),
  headerFlags: optional(explicit(3, bitString())),
});

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export interface IakerbHeader {
  readonly targetRealm: string;
  /** `utf8` (draft, MIT >= 1.22, Windows) or `octet-string` (MIT <= 1.21). Default `utf8`. */
  readonly realmEncoding?: 'utf8' | 'octet-string' | undefined;
  readonly cookie?: Uint8Array | undefined;
  /** Microsoft's DC-locator hint bits: decoded, kept, and sent only when imitating Windows. */
  readonly headerFlags?: { readonly bytes: Uint8Array; readonly unusedBits: number } | undefined;
}

export const IakerbHeader = mapped(IakerbHeaderWire, {
  name: 'IAKERB-HEADER',
  decode: (wire): IakerbHeader => {
    const realm = wire.targetRealm;
    const header: IakerbHeader = {
      targetRealm: realm.type === 'utf8' ? realm.value : utf8.decode(realm.value),
      realmEncoding: realm.type === 'utf8' ? 'utf8' : 'octet-string',
      ...(wire.cookie !== undefined ? { cookie: wire.cookie } : {}),
      ...(wire.headerFlags !== undefined ? { headerFlags: wire.headerFlags } : {}),
    };
    return header;
  },
  encode: (value: IakerbHeader) => ({
    targetRealm:
      value.realmEncoding === 'octet-string'
        ? { type: 'octets' as const, value: encoder.encode(value.targetRealm) }
        : { type: 'utf8' as const, value: value.targetRealm },
    cookie: value.cookie,
    headerFlags: value.headerFlags,
  }),
});

/** IAKERB-FINISHED ::= SEQUENCE { iakerb-mic [1] Checksum, ... }. */
export const IakerbFinished = krbSequence('IAKERB-FINISHED', {
  iakerbMic: explicit(1, Checksum),
});
export type IakerbFinished = Infer<typeof IakerbFinished>;
