/** Decoding and encoding any Kerberos message by its [APPLICATION n] tag (RFC 4120 §5.10, §7.5.7). */
import {
  DecodeError,
  type DecodeOptions,
  decode,
  EncodeError,
  encode,
  type Infer,
  readHeader,
  type Schema,
  TagClass,
  tagId,
} from '@postntlm/der-asn1';
import { ApRep, ApReq } from './rfc4120/ap.js';
import { AsRep, AsReq, TgsRep, TgsReq } from './rfc4120/kdc.js';
import { KrbError } from './rfc4120/krb-error.js';
import { KrbCred, KrbPriv, KrbSafe } from './rfc4120/safe-priv-cred.js';

const schemas = {
  10: AsReq,
  11: AsRep,
  12: TgsReq,
  13: TgsRep,
  14: ApReq,
  15: ApRep,
  20: KrbSafe,
  21: KrbPriv,
  22: KrbCred,
  30: KrbError,
} as const;
type Schemas = typeof schemas;

/** A decoded message, discriminated by `msgType` (RFC 4120 §7.5.7). */
export type KerberosMessage = {
  [K in keyof Schemas]: { readonly msgType: K; readonly value: Infer<Schemas[K]> };
}[keyof Schemas];

const APPLICATION_0 = tagId(TagClass.application, 0);

/**
 * The message type of an encoded message from its outer tag (a constructed [APPLICATION n]
 * with n one of the ten message types, and a well-formed length), without decoding it.
 * `undefined` for anything else, including tickets and encrypted parts ([APPLICATION 1..3, 25..29]).
 */
export function peekMessageType(bytes: Uint8Array): KerberosMessage['msgType'] | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  try {
    const header = readHeader(bytes, 0, bytes.length);
    const number = header.id - APPLICATION_0;
    if (!header.constructed || number < 0 || number >= 0x200000 || !Object.hasOwn(schemas, number))
      return undefined;
    return number as KerberosMessage['msgType'];
  } catch {
    return undefined;
  }
}

/**
 * Decodes a Kerberos message of any type (what a KDC or a transport receives). Throws
 * `DecodeError` for a non-message (offset 0, empty path) or a malformed one (path such as
 * `AS-REP.encPart.cipher`).
 */
export function decodeMessage(bytes: Uint8Array, options?: DecodeOptions): KerberosMessage {
  const type = peekMessageType(bytes);
  if (type === undefined) throw new DecodeError('not a Kerberos message (unknown outer tag)', 0);
  const schema: Schema<unknown> = schemas[type];
  return { msgType: type, value: decode(schema, bytes, options) } as KerberosMessage;
}

/** Encodes a message of any type: the inverse of `decodeMessage`. */
export function encodeMessage(message: KerberosMessage): Uint8Array {
  const schema: Schema<unknown> | undefined =
    typeof message === 'object' && message !== null && Object.hasOwn(schemas, message.msgType)
      ? schemas[message.msgType]
      : undefined;
  if (schema === undefined)
    throw new EncodeError(`unknown Kerberos message type ${String(message?.msgType)}`);
  return encode(schema, message.value);
}
