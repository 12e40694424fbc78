/**
 * The initiator side of the Kerberos GSS mechanism (RFC 4121 §4.1): builds the AP-REQ from
 * a service ticket, with an authenticator subkey, a random sequence number and the 0x8003
 * checksum, and checks the acceptor's AP-REP (mutual authentication). Sans-IO.
 */

import { Oid } from '@postntlm/der-asn1';
import { type Clock, type Credential, cryptoRandom, type Random, systemClock } from '@postntlm/krb5-client';
import { decrypt, encrypt, getEnctype, type Key, KeyUsage, randomToKey } from '@postntlm/krb5-crypto';
import {
  ApRep,
  ApReq,
  Authenticator,
  apOptions,
  EncApRepPart,
  ErrorCode,
  encode,
  KrbError,
  RawTicket,
} from '@postntlm/krb5-messages';
import { GssError, GssKerberosError, GssStateError } from '../errors.js';
import { randomSeq } from './acceptor.js';
import {
  type ChannelBindings,
  channelBindingHash,
  encodeGssChecksum,
  GSS_CHECKSUM_TYPE,
  type GssChecksumExtension,
  GssFlags,
} from './checksum.js';
import { type ContextStep, decodeKrb, kerberosTimeOf, keyOf } from './common.js';
import { decodeKrb5ContextToken, encodeKrb5ContextToken, KRB5_MECHS, TokenId } from './context-token.js';
import { encodeDelegation } from './delegation.js';
import { SecurityContext } from './security-context.js';

/** Flags asked for by default: mutual, replay, sequence, conf, integ (as MIT's gss-client). */
export const DEFAULT_INITIATOR_FLAGS =
  GssFlags.mutual | GssFlags.replay | GssFlags.sequence | GssFlags.conf | GssFlags.integ;

export interface Krb5InitiatorOptions {
  /** The service ticket (from `getServiceTicket` or a credential cache). */
  readonly credential: Credential;
  /** Context flags (`GssFlags`); default {@link DEFAULT_INITIATOR_FLAGS}. `deleg` is set when `delegate` is given. */
  readonly flags?: number;
  /** A forwarded TGT to delegate (from a TGS-REQ with `forwarded: true`); sent as a KRB-CRED in the checksum. */
  readonly delegate?: Credential;
  /** Mechanism OID framing the AP-REQ; default krb5 (MS krb5 for Windows-style SPNEGO, IAKerb under IAKerb). */
  readonly mech?: string;
  readonly channelBindings?: ChannelBindings;
  /**
   * Extensions for the 0x8003 checksum, or a function that makes them from the
   * authenticator subkey this initiator generates (IAKerb's FINISHED is keyed by it).
   */
  readonly extensions?: readonly GssChecksumExtension[] | ((subkey: Key) => readonly GssChecksumExtension[]);
  readonly clock?: Clock;
  readonly random?: Random;
}

/** Establishes one security context as the initiator. */
export class Krb5Initiator {
  private readonly options: Krb5InitiatorOptions;
  private readonly flags: number;
  private readonly mech: string;
  private state: 'start' | 'wait-ap-rep' | 'done' | 'failed' = 'start';
  private subkey: Key | undefined;
  private seq = 0;
  private ctime: { time: Date; usec: number } | undefined;
  private established: SecurityContext | undefined;

  constructor(options: Krb5InitiatorOptions) {
    this.options = options;
    this.flags = (options.flags ?? DEFAULT_INITIATOR_FLAGS) >>> 0;
    if ((this.flags & GssFlags.deleg) !== 0)
      throw new RangeError('delegation (GSS_C_DELEG_FLAG) is not implemented yet');
    this.mech = options.mech ?? Oid.krb5;
  }

  get context(): SecurityContext | undefined {
    return this.established;
  }

  /** First call without a token (returns the AP-REQ token); then with the acceptor's reply. */
  step(inputToken?: Uint8Array): ContextStep {
    try {
      if (this.state === 'start') {
        if (inputToken !== undefined && inputToken.length > 0)
          throw new GssStateError('the first initiator step takes no input token');
        return this.apReq();
      }
      if (this.state === 'wait-ap-rep') {
        if (inputToken === undefined) throw new GssStateError('the acceptor reply token is required');
        return this.apRep(inputToken);
      }
      throw new GssStateError(`initiator already ${this.state}`);
    } catch (error) {
      if (!(error instanceof GssError)) throw error;
      this.state = 'failed';
      return { done: false, error };
    }
  }

  private apReq(): ContextStep {
    const { credential } = this.options;
    const clock = this.options.clock ?? systemClock;
    const random = this.options.random ?? cryptoRandom;
    const sessionKey = credential.sessionKey;
    this.subkey = randomToKey(sessionKey.enctype, random.bytes(getEnctype(sessionKey.enctype).seedLength));
    this.seq = randomSeq(random);
    this.ctime = kerberosTimeOf(clock.now() + credential.kdcTimeOffsetMs);
    const bindings =
      this.options.channelBindings === undefined
        ? new Uint8Array(16)
        : channelBindingHash(this.options.channelBindings);
    const delegate = this.options.delegate;
    const checksum = encodeGssChecksum({
      bindings,
      flags: this.flags,
      delegation: delegate === undefined ? undefined : encodeDelegation(delegate, this.subkey),
      extensions:
        typeof this.options.extensions === 'function'
          ? this.options.extensions(this.subkey)
          : (this.options.extensions ?? []),
    });
    const authenticator = encode(Authenticator, {
      authenticatorVno: 5,
      crealm: credential.client.realm,
      cname: credential.client.name,
      cksum: { cksumtype: GSS_CHECKSUM_TYPE, checksum },
      cusec: this.ctime.usec,
      ctime: this.ctime.time,
      subkey: { keytype: this.subkey.enctype, keyvalue: this.subkey.bytes },
      seqNumber: this.seq,
    });
    const mutual = (this.flags & GssFlags.mutual) !== 0;
    const apReq = encode(ApReq, {
      pvno: 5,
      msgType: 14,
      apOptions: apOptions(mutual ? ['mutualRequired'] : []),
      ticket: decodeKrb(RawTicket, credential.ticket, 'Ticket'),
      authenticator: {
        etype: sessionKey.enctype,
        cipher: encrypt(sessionKey, KeyUsage.AP_REQ_AUTH, authenticator),
      },
    });
    const outputToken = encodeKrb5ContextToken(TokenId.AP_REQ, apReq, this.mech);
    if (mutual) {
      this.state = 'wait-ap-rep';
      return { outputToken, done: false };
    }
    return { outputToken, ...this.finish(undefined, this.seq) };
  }

  private apRep(inputToken: Uint8Array): ContextStep {
    const token = decodeKrb5ContextToken(inputToken, KRB5_MECHS);
    const sessionKey = this.options.credential.sessionKey;
    if (token.tokenId === TokenId.KRB_ERROR) {
      const krbError = decodeKrb(KrbError, token.message, 'KRB-ERROR');
      throw new GssKerberosError(
        krbError.errorCode,
        `the acceptor refused the AP-REQ${krbError.eText ? `: ${krbError.eText}` : ''}`,
        {
          krbError,
        },
      );
    }
    if (token.tokenId !== TokenId.AP_REP)
      throw new GssKerberosError(ErrorCode.KRB_AP_ERR_MSG_TYPE, 'expected an AP-REP token');
    const apRep = decodeKrb(ApRep, token.message, 'AP-REP');
    let plain: Uint8Array;
    try {
      plain = decrypt(sessionKey, KeyUsage.AP_REP_ENCPART, apRep.encPart.cipher);
    } catch (error) {
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_MUT_FAIL,
        'AP-REP does not decrypt with the session key',
        { cause: error },
      );
    }
    const part = decodeKrb(EncApRepPart, plain, 'EncAPRepPart');
    const sent = this.ctime;
    if (sent === undefined || part.ctime.getTime() !== sent.time.getTime() || part.cusec !== sent.usec)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_MUT_FAIL,
        'AP-REP ctime/cusec differ from the authenticator',
      );
    return this.finish(part.subkey === undefined ? undefined : keyOf(part.subkey), part.seqNumber ?? 0);
  }

  private finish(acceptorSubkey: Key | undefined, acceptorSeq: number): ContextStep {
    const { credential } = this.options;
    const context = new SecurityContext({
      isInitiator: true,
      mech: this.mech,
      ticketSessionKey: credential.sessionKey,
      initiatorSubkey: this.subkey,
      acceptorSubkey,
      flags: this.flags,
      client: credential.client,
      server: credential.server,
      initiatorSeq: this.seq,
      acceptorSeq,
      endtime: credential.endtime,
    });
    this.state = 'done';
    this.established = context;
    return { done: true, context };
  }
}
