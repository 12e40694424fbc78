/**
 * RFC 4178 §4.2 SPNEGO negotiation tokens, with MS-SPNG §2.2.1 NegTokenInit2:
 *
 *     NegotiationToken ::= CHOICE { negTokenInit [0] NegTokenInit, negTokenResp [1] NegTokenResp }
 *     NegTokenInit  ::= SEQUENCE { mechTypes [0] MechTypeList, reqFlags [1] ContextFlags OPTIONAL,
 *                                  mechToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL, ... }
 *     NegTokenInit2 ::= SEQUENCE { mechTypes [0] MechTypeList OPTIONAL, reqFlags [1] ContextFlags OPTIONAL,
 *                                  mechToken [2] OCTET STRING OPTIONAL, negHints [3] NegHints OPTIONAL,
 *                                  mechListMIC [4] OCTET STRING OPTIONAL, ... }
 *     NegHints      ::= SEQUENCE { hintName [0] GeneralString OPTIONAL, hintAddress [1] OCTET STRING OPTIONAL }
 *     NegTokenResp  ::= SEQUENCE { negState [0] ENUMERATED OPTIONAL, supportedMech [1] MechType OPTIONAL,
 *                                  responseToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL, ... }
 *
 * Some Windows versions add a "late fallback" `supportedMechs [4] MechTypeList` to
 * NegTokenResp (not in RFC 4178): it is decoded (so it must be a valid MechTypeList) and
 * ignored; the encoder never writes it.
 *
 * The first token of a context is framed as an RFC 2743 InitialContextToken with the SPNEGO
 * OID (1.3.6.1.5.5.2); later tokens are the bare NegotiationToken. Both kinds decode with
 * {@link decodeSpnegoToken}. Decoding is strict DER (BER length forms are refused).
 */
import {
  type BitStringValue,
  bitString,
  choice,
  DecodeError,
  decode,
  encode,
  enumerated,
  explicit,
  generalString,
  type Infer,
  Oid,
  objectIdentifier,
  octetString,
  optional,
  sequence,
  sequenceOf,
} from '@postntlm/der-asn1';
import { GssTokenError } from '../errors.js';
import { decodeGssToken, encodeGssToken } from '../rfc2743/framing.js';

/** MechTypeList ::= SEQUENCE OF MechType (its DER is what mechListMIC covers, RFC 4178 §5). */
export const MechTypeList = sequenceOf(objectIdentifier(), { min: 1, max: 64 });

/** MS-SPNG §2.2.1 NegHints. */
export const NegHints = sequence(
  { hintName: optional(explicit(0, generalString())), hintAddress: optional(explicit(1, octetString())) },
  { name: 'NegHints', extensible: true },
);
export type NegHints = Infer<typeof NegHints>;

/** NegTokenInit and NegTokenInit2 in one schema: [3] is negHints (SEQUENCE) in Init2, mechListMIC (OCTET STRING) in Init. */
const NegTokenInitSchema = sequence(
  {
    mechTypes: optional(explicit(0, MechTypeList)),
    reqFlags: optional(explicit(1, bitString())),
    mechToken: optional(explicit(2, octetString())),
    third: optional(explicit(3, choice({ negHints: NegHints, mechListMIC: octetString() }))),
    mechListMIC2: optional(explicit(4, octetString())),
  },
  { name: 'NegTokenInit', extensible: true },
);

/** RFC 4178 §4.2.2 negState. */
export const NegState = { acceptCompleted: 0, acceptIncomplete: 1, reject: 2, requestMic: 3 } as const;
export type NegState = (typeof NegState)[keyof typeof NegState];

const NegTokenRespSchema = sequence(
  {
    negState: optional(explicit(0, enumerated({ min: 0, max: 3 }))),
    supportedMech: optional(explicit(1, objectIdentifier())),
    responseToken: optional(explicit(2, octetString())),
    mechListMIC: optional(explicit(3, octetString())),
    /** The "late fallback" MechTypeList some Windows versions send: decoded, then ignored. */
    supportedMechs: optional(explicit(4, MechTypeList)),
  },
  { name: 'NegTokenResp', extensible: true },
);

const NegotiationTokenSchema = choice(
  { init: explicit(0, NegTokenInitSchema), resp: explicit(1, NegTokenRespSchema) },
  'NegotiationToken',
);

/** A NegTokenInit (RFC 4178) or NegTokenInit2 (MS-SPNG; `negHints` set, or no mechTypes). */
export interface NegTokenInit {
  readonly kind: 'init';
  /** Whether the token came (or is to go) with the InitialContextToken framing. */
  readonly framed: boolean;
  readonly mechTypes: readonly string[];
  /** The exact DER of mechTypes as received (for mechListMIC); set by the decoder. */
  readonly mechTypesDer?: Uint8Array | undefined;
  readonly reqFlags?: BitStringValue | undefined;
  readonly mechToken?: Uint8Array | undefined;
  /** MS-SPNG NegTokenInit2: hints ("not_defined_in_RFC4178@please_ignore"). */
  readonly negHints?: NegHints | undefined;
  readonly mechListMIC?: Uint8Array | undefined;
}

/** RFC 4178 §4.2.2 NegTokenResp. */
export interface NegTokenResp {
  readonly kind: 'resp';
  readonly framed: false;
  readonly negState?: NegState | undefined;
  readonly supportedMech?: string | undefined;
  readonly responseToken?: Uint8Array | undefined;
  readonly mechListMIC?: Uint8Array | undefined;
}

export type SpnegoToken = NegTokenInit | NegTokenResp;

/** The DER of a MechTypeList (what mechListMIC is computed over). */
export function encodeMechTypeList(mechTypes: readonly string[]): Uint8Array {
  return encode(MechTypeList, [...mechTypes]);
}

/**
 * Decodes an SPNEGO token: an InitialContextToken with the SPNEGO OID around a
 * NegotiationToken, or a bare NegotiationToken. `GssTokenError` for anything else.
 */
export function decodeSpnegoToken(bytes: Uint8Array): SpnegoToken {
  let inner = bytes;
  let framed = false;
  if (bytes[0] === 0x60) {
    const token = decodeGssToken(bytes);
    if (token.mech !== Oid.spnego)
      throw new GssTokenError(`GSS token for ${token.mech}, expected SPNEGO (${Oid.spnego})`);
    inner = token.inner;
    framed = true;
  }
  let value: Infer<typeof NegotiationTokenSchema>;
  try {
    value = decode(NegotiationTokenSchema, inner);
  } catch (error) {
    if (error instanceof DecodeError)
      throw new GssTokenError(`malformed SPNEGO token: ${error.message}`, { cause: error });
    throw error;
  }
  if (value.type === 'resp') {
    if (framed)
      throw new GssTokenError('SPNEGO: a NegTokenResp must not carry the InitialContextToken framing');
    const r = value.value;
    return {
      kind: 'resp',
      framed: false,
      negState: r.negState as NegState | undefined,
      supportedMech: r.supportedMech,
      responseToken: r.responseToken,
      mechListMIC: r.mechListMIC,
    };
  }
  const i = value.value;
  if (i.mechTypes === undefined && i.third?.type !== 'negHints')
    throw new GssTokenError('SPNEGO NegTokenInit: mechTypes missing (only a NegTokenInit2 may omit it)');
  if (i.third?.type === 'mechListMIC' && i.mechListMIC2 !== undefined)
    throw new GssTokenError('SPNEGO NegTokenInit: mechListMIC in both [3] and [4]');
  return {
    kind: 'init',
    framed,
    mechTypes: i.mechTypes ?? [],
    mechTypesDer: i.mechTypes === undefined ? undefined : encodeMechTypeList(i.mechTypes),
    reqFlags: i.reqFlags,
    mechToken: i.mechToken,
    negHints: i.third?.type === 'negHints' ? i.third.value : undefined,
    mechListMIC: i.third?.type === 'mechListMIC' ? i.third.value : i.mechListMIC2,
  };
}

/**
 * Encodes an SPNEGO token. A NegTokenInit with `negHints` is written as NegTokenInit2
 * (mechListMIC at [4]); `framed` (default true for init) adds the InitialContextToken framing.
 */
export function encodeSpnegoToken(token: SpnegoToken): Uint8Array {
  let der: Uint8Array;
  if (token.kind === 'resp') {
    der = encode(NegotiationTokenSchema, {
      type: 'resp',
      value: {
        negState: token.negState,
        supportedMech: token.supportedMech,
        responseToken: token.responseToken,
        mechListMIC: token.mechListMIC,
      },
    });
    return der;
  }
  const init2 = token.negHints !== undefined;
  der = encode(NegotiationTokenSchema, {
    type: 'init',
    value: {
      mechTypes: init2 && token.mechTypes.length === 0 ? undefined : [...token.mechTypes],
      reqFlags: token.reqFlags,
      mechToken: token.mechToken,
      third: init2
        ? { type: 'negHints', value: token.negHints! }
        : token.mechListMIC === undefined
          ? undefined
          : { type: 'mechListMIC', value: token.mechListMIC },
      mechListMIC2: init2 ? token.mechListMIC : undefined,
    },
  });
  return token.framed ? encodeGssToken(Oid.spnego, der) : der;
}

/** MS-SPNG §3.2.5.2: the hintName a NegTokenInit2 carries ("not_defined_in_RFC4178@please_ignore"). */
export const SPNEGO_HINT_NAME = 'not_defined_in_RFC4178@please_ignore';

/**
 * The acceptor's unsolicited first token (MS-SPNG §3.2.5.2 NegTokenInit2, as an SMB2
 * NEGOTIATE response carries it in its security buffer): framed, `mechTypes` in the
 * acceptor's order of preference, negHints with the fixed hintName, no mechToken. A post-NTLM
 * server lists only what it runs, e.g. [MS krb5, krb5] or, with IAKerb, [MS krb5, krb5, IAKerb].
 * The hints are not authenticated (mechListMIC covers the initiator's mechTypes only).
 */
export function spnegoHintToken(mechTypes: readonly string[] = [Oid.msKrb5, Oid.krb5]): Uint8Array {
  if (mechTypes.length === 0) throw new RangeError('spnegoHintToken: at least one mechanism');
  return encodeSpnegoToken({
    kind: 'init',
    framed: true,
    mechTypes,
    negHints: { hintName: SPNEGO_HINT_NAME },
  });
}
