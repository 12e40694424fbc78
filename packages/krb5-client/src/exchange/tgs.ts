/**
 * The Ticket-Granting Service exchange (RFC 4120 §3.3, §5.4.1, §7.2.2), sans-IO: a service
 * ticket (or a renewed ticket, or a cross-realm TGT) with a TGT.
 *
 * The TGS-REQ carries PA-TGS-REQ: an AP-REQ with the TGT whose authenticator has
 * - `cksum`: the checksum of the exact DER of the KDC-REQ-BODY that is sent (key usage 6,
 *   the mandatory checksum type of the TGT session key's enctype; MIT 1.20 answers
 *   KRB_AP_ERR_INAPP_CKSUM without it), and
 * - `subkey`: a fresh random key of the session key's enctype;
 * and is encrypted with the TGT session key (usage 7). The TGS-REP enc-part is decrypted
 * with the subkey (usage 9), falling back to the session key (usage 8).
 *
 * Server referrals (RFC 6806 §8): with CANONICALIZE (the default, as in MIT) a KDC that
 * does not hold the service answers with a TGT `krbtgt/OTHER@THIS`; the exchange then asks
 * OTHER's KDC with that TGT, at most `maxReferrals` hops and never twice to one realm.
 * KRB_AP_ERR_SKEW is corrected once from the error's stime.
 */
import { getEnctype, type Key, KeyUsage, makeChecksum, randomToKey } from '@postntlm/krb5-crypto';
import {
  ApReq,
  Authenticator,
  decode,
  ErrorCode,
  encode,
  type KdcOptionName,
  type KdcRep,
  KdcReqBody,
  kdcOptions,
  NameType,
  PaDataType,
  type Principal,
  parsePrincipal,
  RawTicket,
  TgsReq,
  ticketFlagNames,
} from '@postntlm/krb5-messages';
import {
  ExchangePolicyError,
  ExchangeStateError,
  type KerberosError,
  ReplyVerificationError,
} from '../errors.js';
import type { Credential } from './credential.js';
import { type Clock, cryptoRandom, type Random, randomNonce, systemClock } from './environment.js';
import {
  checkCommonReply,
  type DecryptedEncPart,
  decodeKdcAnswer,
  encryptWith,
  kerberosErrorOf,
  kerberosTimeOf,
  keyOf,
  offsetFromError,
  type PendingRequest,
  sameName,
  showName,
  toClientError,
  tryDecryptEncPart,
} from './kdc-common.js';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_REFERRALS,
  positiveSeconds,
  resolveEtypes,
} from './options.js';
import type { ExchangeMessage, ExchangeStep, KdcExchange } from './step.js';

/** KDC options and request parameters of a TGS-REQ (RFC 4120 §5.4.1). */
export interface TgsRequestOptions {
  /** RENEW: renew `tgt` itself (the ticket must be renewable); `server` defaults to its server. */
  readonly renew?: boolean;
  /** FORWARDABLE; default: whether the TGT is forwardable (as MIT). */
  readonly forwardable?: boolean;
  /** FORWARDED: ask for a forwarded TGT (with a forwardable TGT). */
  readonly forwarded?: boolean;
  /** PROXIABLE; default: whether the TGT is proxiable. */
  readonly proxiable?: boolean;
  /** RENEWABLE with rtime = the TGT's renew-till; default: whether the TGT is renewable (as MIT). */
  readonly renewable?: boolean;
  /** CANONICALIZE (RFC 6806): allow server referrals and canonical names. Default true, as MIT. */
  readonly canonicalize?: boolean;
  /** ENC-TKT-IN-SKEY (user-to-user, §5.4.1): the TGT (DER) whose session key is to encrypt the ticket. */
  readonly encTktInSkey?: Uint8Array;
  /** Requested lifetime; default: as long as the TGT. */
  readonly lifetimeSeconds?: number;
  /** Session-key enctypes to request, in preference order (default 18, 17, 20, 19). */
  readonly etypes?: readonly number[];
  readonly allowRc4?: boolean;
}

export interface TgsExchangeOptions {
  /** The TGT (or, with `renew`, the ticket to renew). */
  readonly tgt: Credential;
  /**
   * The service: `cifs/host.example.com`, `cifs/host@REALM` or a Principal. A two-component
   * name given as text is a host-based service (NT-SRV-HST), `krbtgt/X` is NT-SRV-INST.
   * Default realm: the TGT's client realm. Required unless `renew`.
   */
  readonly server?: string | Principal;
  readonly options?: TgsRequestOptions;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Allowed difference between the ticket's starttime and the request time; default 300 s. */
  readonly clockSkewSeconds?: number;
  /** Server referrals to follow; default 5. */
  readonly maxReferrals?: number;
}

/** A sans-IO TGS exchange. */
export interface TgsExchange extends KdcExchange {
  /** The realm the next (or last) request goes to. */
  readonly realm: string;
  /** Cross-realm TGTs obtained on the way (server referrals), in order; worth caching. */
  readonly referralTgts: readonly Credential[];
}

/** `cifs/host` → NT-SRV-HST, `krbtgt/X` → NT-SRV-INST (RFC 4120 §6.2), else NT-PRINCIPAL. */
export function serviceNameType(components: readonly string[]): number {
  if (components[0] === 'krbtgt' && components.length === 2) return NameType.NT_SRV_INST;
  if (components.length === 2) return NameType.NT_SRV_HST;
  return NameType.NT_PRINCIPAL;
}

/** Parses a service principal: `svc/host[@REALM]`, host-based name types as `serviceNameType`. */
export function parseServicePrincipal(text: string, defaultRealm: string): Principal {
  const p = parsePrincipal(text, { defaultRealm });
  return {
    realm: p.realm,
    name: { nameType: serviceNameType(p.name.nameString), nameString: p.name.nameString },
  };
}

/** The realm whose KDC accepts a TGT: `krbtgt/X@Y` is for X's KDC; any other ticket for its own realm's. */
export function kdcRealmOf(ticket: Credential): string {
  const n = ticket.server.name.nameString;
  return n.length === 2 && n[0] === 'krbtgt' ? n[1]! : ticket.server.realm;
}

/** Creates a TGS exchange. Throws `ExchangePolicyError` for arguments that cannot work. */
export function createTgsExchange(options: TgsExchangeOptions): TgsExchange {
  return new TgsExchangeImpl(options);
}

class TgsExchangeImpl implements TgsExchange {
  readonly messages: ExchangeMessage[] = [];
  readonly kdcErrors: KerberosError[] = [];
  readonly referralTgts: Credential[] = [];
  current: ExchangeStep | undefined;
  realm: string;

  private readonly clock: Clock;
  private readonly random: Random;
  private readonly etypes: readonly number[];
  private readonly server: Principal;
  private readonly canonicalize: boolean;
  private readonly renew: boolean;
  private readonly forwardable: boolean;
  private readonly renewable: boolean;
  private readonly kdcOptions: number;
  private readonly lifetimeMs: number | undefined;
  private readonly clockSkewMs: number;
  private readonly maxReferrals: number;
  private readonly visitedRealms = new Set<string>();

  private state: 'new' | 'waiting' | 'finished' = 'new';
  /** The ticket the AP-REQ carries: the TGT, then referral TGTs. */
  private tgt: Credential;
  private kdcTimeOffsetMs: number;
  private skewCorrected = false;
  private pending: (PendingRequest & { readonly subkey: Key; readonly serverRealm: string }) | undefined;

  constructor(private readonly options: TgsExchangeOptions) {
    const o = options.options ?? {};
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? cryptoRandom;
    this.etypes = resolveEtypes(o.etypes, o.allowRc4 === true);
    this.tgt = options.tgt;
    this.kdcTimeOffsetMs = options.tgt.kdcTimeOffsetMs;
    this.renew = o.renew === true;
    if (options.server === undefined) {
      if (!this.renew) {
        throw new ExchangePolicyError('bad-argument', 'a TGS exchange needs `server` (unless it renews)');
      }
      this.server = options.tgt.server;
    } else {
      this.server =
        typeof options.server === 'string'
          ? parseServicePrincipal(options.server, options.tgt.client.realm)
          : options.server;
    }
    this.canonicalize = o.canonicalize ?? true;
    // As MIT (FLAGS2OPTS in gc_via_tkt.c): unless told otherwise, ask for what the TGT has.
    const has = (flag: 'forwardable' | 'proxiable' | 'renewable') =>
      ticketFlagNames(options.tgt.flags).includes(flag);
    this.forwardable = o.forwardable ?? has('forwardable');
    this.renewable = o.renewable ?? (has('renewable') && options.tgt.renewTill !== undefined);
    const names: KdcOptionName[] = [];
    if (this.forwardable) names.push('forwardable');
    if (o.forwarded === true) names.push('forwarded');
    if (o.proxiable ?? has('proxiable')) names.push('proxiable');
    if (this.renewable || this.renew) names.push('renewable');
    if (this.canonicalize) names.push('canonicalize');
    if (this.renew) names.push('renew');
    if (o.encTktInSkey !== undefined) names.push('encTktInSkey');
    this.kdcOptions = kdcOptions(names) >>> 0;
    this.lifetimeMs =
      o.lifetimeSeconds === undefined
        ? undefined
        : positiveSeconds('lifetimeSeconds', o.lifetimeSeconds, 1) * 1000;
    this.clockSkewMs =
      positiveSeconds('clockSkewSeconds', options.clockSkewSeconds, DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
    this.maxReferrals = options.maxReferrals ?? DEFAULT_MAX_REFERRALS;
    this.realm = this.renew ? options.tgt.server.realm : kdcRealmOf(options.tgt);
    this.visitedRealms.add(this.realm);
  }

  start(): ExchangeStep {
    if (this.state !== 'new') throw new ExchangeStateError('start() was already called');
    this.state = 'waiting';
    try {
      return this.sendRequest();
    } catch (e) {
      return this.fail(e);
    }
  }

  async receive(reply: Uint8Array): Promise<ExchangeStep> {
    if (this.state !== 'waiting') {
      throw new ExchangeStateError(
        this.state === 'new' ? 'receive() before start()' : 'receive() after the exchange ended',
      );
    }
    this.messages.push({ direction: 'received', realm: this.realm, bytes: reply });
    try {
      const answer = decodeKdcAnswer(reply, 13);
      if (answer.kind === 'error') {
        const error = kerberosErrorOf(answer.krbError, this.realm);
        this.kdcErrors.push(error);
        return this.onError(error);
      }
      return this.onReply(answer.rep);
    } catch (e) {
      return this.fail(e);
    }
  }

  // ---- request -------------------------------------------------------------------------

  private sendRequest(preferStream = false): ExchangeStep {
    const tgt = this.tgt;
    const o = this.options.options ?? {};
    const now = this.clock.now() + this.kdcTimeOffsetMs;
    const nonce = randomNonce(this.random);
    // The server's realm in the req-body: the realm being asked (a referral moves it).
    const serverRealm = this.referralTgts.length > 0 ? this.realm : this.server.realm;
    const tgtEnd = this.renew ? (tgt.renewTill ?? tgt.endtime) : tgt.endtime;
    const till = kerberosTimeOf(
      this.lifetimeMs === undefined ? tgtEnd.getTime() : Math.min(tgtEnd.getTime(), now + this.lifetimeMs),
    ).time;
    const renewable = this.renewable || this.renew;
    const rtime = renewable ? (tgt.renewTill ?? till) : undefined;
    const body: KdcReqBody = {
      kdcOptions: this.kdcOptions,
      realm: serverRealm,
      sname: this.server.name,
      till,
      ...(rtime === undefined ? {} : { rtime }),
      nonce,
      etype: [...this.etypes],
      ...(o.encTktInSkey === undefined ? {} : { additionalTickets: [decode(RawTicket, o.encTktInSkey)] }),
    };
    // The checksum covers these exact bytes, and these exact bytes are sent (§7.2.2).
    const bodyDer = encode(KdcReqBody, body);
    const sessionKey = tgt.sessionKey;
    const profile = getEnctype(sessionKey.enctype);
    const subkey = randomToKey(sessionKey.enctype, this.random.bytes(profile.seedLength));
    const { time, usec } = kerberosTimeOf(now);
    const authenticator = encode(Authenticator, {
      authenticatorVno: 5,
      crealm: tgt.client.realm,
      cname: tgt.client.name,
      cksum: {
        cksumtype: profile.checksumType,
        checksum: makeChecksum(sessionKey, KeyUsage.TGS_REQ_AUTH_CKSUM, bodyDer),
      },
      cusec: usec,
      ctime: time,
      subkey: { keytype: subkey.enctype, keyvalue: subkey.bytes },
    });
    const apReq = encode(ApReq, {
      pvno: 5,
      msgType: 14,
      apOptions: 0,
      ticket: decode(RawTicket, tgt.ticket),
      authenticator: {
        etype: sessionKey.enctype,
        cipher: encryptWith(sessionKey, KeyUsage.TGS_REQ_AUTH, authenticator, this.random),
      },
    });
    const bytes = encode(TgsReq, {
      pvno: 5,
      msgType: 12,
      padata: [{ padataType: PaDataType.PA_TGS_REQ, padataValue: apReq }],
      reqBody: { value: body, der: bodyDer },
    });
    this.pending = {
      nonce,
      etypes: this.etypes,
      requestTime: now,
      till,
      rtime,
      renewable,
      sname: this.server.name,
      srealm: serverRealm,
      canonicalize: this.canonicalize,
      subkey,
      serverRealm,
    };
    this.messages.push({ direction: 'sent', realm: this.realm, bytes });
    const step: ExchangeStep = preferStream
      ? { kind: 'send', realm: this.realm, bytes, preferStream: true }
      : { kind: 'send', realm: this.realm, bytes };
    this.current = step;
    return step;
  }

  // ---- answers -------------------------------------------------------------------------

  private onError(error: KerberosError): ExchangeStep {
    if (error.code === ErrorCode.KRB_AP_ERR_SKEW && !this.skewCorrected) {
      this.skewCorrected = true;
      this.kdcTimeOffsetMs = offsetFromError(error, this.clock.now());
      return this.sendRequest();
    }
    if (
      error.code === ErrorCode.KRB_ERR_RESPONSE_TOO_BIG &&
      this.current?.kind === 'send' &&
      this.current.preferStream !== true
    ) {
      return this.sendRequest(true);
    }
    return this.fail(error);
  }

  private onReply(rep: KdcRep): ExchangeStep {
    const request = this.pending!;
    // §3.3.4: the reply is encrypted in the authenticator subkey (usage 9) when one was
    // sent; some KDCs use the session key (usage 8).
    let decrypted = tryDecryptEncPart(rep, request.subkey, KeyUsage.TGS_REP_ENCPART_SUBKEY);
    if (decrypted.error !== undefined) {
      const bySession = tryDecryptEncPart(rep, this.tgt.sessionKey, KeyUsage.TGS_REP_ENCPART_SESSKEY);
      if (bySession.error !== undefined) {
        throw new ReplyVerificationError(
          'decrypt',
          'the TGS-REP decrypts neither with the authenticator subkey (usage 9) nor with the TGT session key (usage 8)',
          { cause: decrypted.error, hint: 'the reply was altered, or answers another request' },
        );
      }
      decrypted = bySession;
    }
    const part = decrypted.part;
    checkCommonReply(rep, part, request, 'tgs', this.clockSkewMs);
    if (rep.crealm !== this.tgt.client.realm || !sameName(rep.cname, this.tgt.client.name)) {
      throw new ReplyVerificationError(
        'client',
        `the TGS-REP is for ${showName(rep.cname, rep.crealm)}, not ${showName(this.tgt.client.name, this.tgt.client.realm)}`,
      );
    }
    const credential = this.credentialOf(rep, part);
    const asked = this.server;
    const sameServer = sameName(part.sname, asked.name);
    // A referral: a TGT for another realm's KDC instead of the service (RFC 6806 §8).
    const referralRealm =
      part.sname.nameString.length === 2 && part.sname.nameString[0] === 'krbtgt'
        ? part.sname.nameString[1]!
        : undefined;
    if (referralRealm !== undefined && !sameServer && referralRealm !== this.realm) {
      if (!this.canonicalize) {
        throw new ReplyVerificationError(
          'server',
          `the TGS-REP is a referral to ${referralRealm} but canonicalize was not requested`,
        );
      }
      return this.followReferral(credential, referralRealm);
    }
    if (!sameServer && !this.canonicalize) {
      throw new ReplyVerificationError(
        'server',
        `the TGS-REP is for ${showName(part.sname, part.srealm)}, not ${showName(asked.name, request.serverRealm)}`,
      );
    }
    if (!this.canonicalize && part.srealm !== request.serverRealm) {
      throw new ReplyVerificationError(
        'server',
        `the TGS-REP is for realm ${part.srealm}, not ${request.serverRealm}`,
      );
    }
    return this.finish({ kind: 'done', credential });
  }

  private followReferral(tgt: Credential, realm: string): ExchangeStep {
    if (this.visitedRealms.has(realm)) {
      return this.fail(
        new ExchangePolicyError(
          'referral-loop',
          `server referral loop: ${[...this.visitedRealms].join(' -> ')} -> ${realm}`,
          { hint: 'the realms’ referral configuration ([capaths], trusts) is inconsistent' },
        ),
      );
    }
    if (this.referralTgts.length >= this.maxReferrals) {
      return this.fail(
        new ExchangePolicyError('too-many-referrals', `more than ${this.maxReferrals} server referrals`),
      );
    }
    this.visitedRealms.add(realm);
    this.referralTgts.push(tgt);
    this.tgt = tgt;
    this.realm = realm;
    this.skewCorrected = false;
    return this.sendRequest();
  }

  private credentialOf(rep: KdcRep, part: DecryptedEncPart): Credential {
    const ticket = rep.ticket;
    return {
      client: { realm: rep.crealm, name: rep.cname },
      server: { realm: part.srealm, name: part.sname },
      sessionKey: keyOf(part.key),
      authtime: part.authtime,
      starttime: part.starttime,
      endtime: part.endtime,
      renewTill: part.renewTill,
      flags: part.flags >>> 0,
      ticket: (ticket.der ?? encode(RawTicket, ticket)).slice(),
      ticketEnctype: ticket.value.encPart.etype,
      ticketKvno: ticket.value.encPart.kvno,
      addresses: part.caddr ?? [],
      kdcTimeOffsetMs: this.kdcTimeOffsetMs,
      keyExpiration: part.keyExpiration,
      encPartTag: part.tag,
    };
  }

  private finish(step: ExchangeStep): ExchangeStep {
    this.state = 'finished';
    this.current = step;
    return step;
  }

  private fail(e: unknown): ExchangeStep {
    return this.finish({ kind: 'error', error: toClientError(e, 'TGS exchange') });
  }
}
