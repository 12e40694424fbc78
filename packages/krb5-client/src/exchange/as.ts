/**
 * The Authentication Service exchange (RFC 4120 §3.1, §5.4.1-2), sans-IO: initial tickets
 * (a TGT, normally) from a password, a keytab or keys.
 *
 * As MIT kinit does, the first AS-REQ goes without pre-authentication (unless the key is
 * known without the KDC's salt); KDC_ERR_PREAUTH_REQUIRED brings PA-ETYPE-INFO2 (salt and
 * s2kparams) and PA-FX-COOKIE (RFC 6113 §5.2), and the second AS-REQ carries PA-ENC-TIMESTAMP
 * (§5.2.7.2, key usage 1) with the cookie echoed. KRB_AP_ERR_SKEW is corrected once from the
 * error's stime; KDC_ERR_WRONG_REALM (RFC 6806 §7 client referral) moves the request to the
 * realm in the error's crealm, at most `maxReferrals` times and never twice to one realm.
 * The AS-REP's enc-part is decrypted with key usage 3 and checked (§3.1.5): nonce, enctype,
 * client and server names, times.
 */
import { isEnctypeEnabled, type Key, KeyUsage, stringToKey } from '@postntlm/krb5-crypto';
import {
  AsReq,
  decode,
  defaultSalt,
  EncryptedData,
  ErrorCode,
  EtypeInfo,
  EtypeInfo2,
  encode,
  type KdcOptionName,
  type KdcRep,
  type KdcReqBody,
  kdcOptions,
  NameType,
  type PaData,
  PaDataType,
  PaEncTsEnc,
  PaPacRequest,
  type Principal,
  type PrincipalName,
  paDataTypeName,
  parsePrincipal,
  RawTicket,
} from '@postntlm/krb5-messages';
import {
  ExchangePolicyError,
  ExchangeStateError,
  type KerberosError,
  PasswordIncorrectError,
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
  DEFAULT_LIFETIME_SECONDS,
  DEFAULT_MAX_REFERRALS,
  DEFAULT_RENEW_LIFETIME_SECONDS,
  positiveSeconds,
  resolveEtypes,
} from './options.js';
import type { ExchangeMessage, ExchangeStep, KdcExchange } from './step.js';

/** A long-term key from a keytab: the key, and the principal and kvno when known. */
export interface KeytabKey {
  readonly principal?: Principal;
  readonly kvno?: number;
  readonly key: Key;
}

/** What the client proves its identity with. */
export type AsCredentials =
  | {
      /** The password (UTF-8 when a string). */
      readonly password: string | Uint8Array;
      /**
       * The salt, when known: used for the first enctype when the KDC sends no
       * PA-ETYPE-INFO2 (the KDC's salt wins when it sends one). Default: realm + name.
       * A password's first AS-REQ always goes without pre-authentication (string-to-key is
       * asynchronous); to pre-authenticate at once, derive the key and pass `key`.
       */
      readonly salt?: string | Uint8Array;
      /** s2kparams going with `salt`. */
      readonly s2kparams?: Uint8Array;
    }
  | {
      /** Keytab entries (e.g. from `readKeytab`); entries of other principals are ignored. */
      readonly keytab: readonly KeytabKey[];
    }
  | {
      /** Long-term keys of the client. */
      readonly key: Key | readonly Key[];
    };

/** KDC options and request parameters of an AS-REQ (RFC 4120 §5.4.1). */
export interface AsRequestOptions {
  readonly forwardable?: boolean;
  readonly proxiable?: boolean;
  /** Ask for a renewable ticket (RENEWABLE with rtime = now + renewLifetimeSeconds). */
  readonly renewable?: boolean;
  /** RENEWABLE-OK: accept a renewable ticket instead of a shorter one (default true, as MIT). */
  readonly renewableOk?: boolean;
  /** Requested lifetime (till = now + this); default 1 day. The KDC may shorten it. */
  readonly lifetimeSeconds?: number;
  /** Requested renewable lifetime; setting it implies `renewable`. Default 7 days. */
  readonly renewLifetimeSeconds?: number;
  /** CANONICALIZE (RFC 6806): accept a canonical client name and TGT realm from the KDC. */
  readonly canonicalize?: boolean;
  /** The client name is an enterprise name (RFC 6806 §5, NT-ENTERPRISE `user@domain`); implies canonicalize. */
  readonly enterprise?: boolean;
  /** Enctypes to request, in preference order (default 18, 17, 20, 19). */
  readonly etypes?: readonly number[];
  /** Allow RC4-HMAC (23) in `etypes` (also needs `enableRc4Hmac()`). */
  readonly allowRc4?: boolean;
  /** Send PA-PAC-REQUEST (MS-KILE §2.2.3) with this include-pac value; default: not sent. */
  readonly requestPac?: boolean;
  /**
   * Pre-authenticate the first AS-REQ with a key or keytab (the key does not depend on
   * the KDC's salt). Default true; false sends it bare first, as MIT kinit does. Has no
   * effect with a password.
   */
  readonly preauthUpfront?: boolean;
}

export interface AsExchangeOptions {
  /** `alice`, `alice@MIT.TEST`, or a Principal. */
  readonly client: string | Principal;
  /** Realm of a client name written without one. */
  readonly realm?: string;
  readonly credentials: AsCredentials;
  /** Service asked for; default `krbtgt/REALM@REALM` (a TGT). */
  readonly server?: string | Principal;
  readonly options?: AsRequestOptions;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: the platform CSPRNG. */
  readonly random?: Random;
  /**
   * Allowed difference between the AS-REP's authtime/starttime and the request time when
   * `kdcTimesync` is false; default 300 s.
   */
  readonly clockSkewSeconds?: number;
  /**
   * Adopt the KDC's time (record the offset in the credential) instead of refusing an
   * AS-REP whose time is more than the clock skew from ours: MIT's kdc_timesync, default true.
   */
  readonly kdcTimesync?: boolean;
  /** Client referrals to follow (KDC_ERR_WRONG_REALM); default 5. */
  readonly maxReferrals?: number;
}

/** A sans-IO AS exchange. */
export interface AsExchange extends KdcExchange {
  /** The realm the next (or last) request goes to; changes on a client referral. */
  readonly realm: string;
  /** KDC clock minus local clock as currently known (applied after a KRB_AP_ERR_SKEW). */
  readonly kdcTimeOffsetMs: number;
}

/** PA-DATA types the client knows how to answer (for error messages). */
const SUPPORTED_PREAUTH = [PaDataType.PA_ENC_TIMESTAMP];

interface SaltInfo {
  readonly salt: string | Uint8Array | undefined;
  readonly s2kparams: Uint8Array | undefined;
}

/** The PA-ETYPE-INFO2 (or older PA-ETYPE-INFO / PA-PW-SALT) of a METHOD-DATA. */
function etypeInfoOf(padata: readonly PaData[]): { etype: number; info: SaltInfo }[] {
  const info2 = padata.find((p) => p.padataType === PaDataType.PA_ETYPE_INFO2);
  if (info2 !== undefined) {
    return decode(EtypeInfo2, info2.padataValue).map((e) => ({
      etype: e.etype,
      info: { salt: e.salt, s2kparams: e.s2kparams },
    }));
  }
  const info = padata.find((p) => p.padataType === PaDataType.PA_ETYPE_INFO);
  if (info !== undefined) {
    return decode(EtypeInfo, info.padataValue).map((e) => ({
      etype: e.etype,
      info: { salt: e.salt, s2kparams: undefined },
    }));
  }
  return [];
}

function pwSaltOf(padata: readonly PaData[]): Uint8Array | undefined {
  return padata.find((p) => p.padataType === PaDataType.PA_PW_SALT)?.padataValue;
}

const describePadata = (types: readonly number[]): string =>
  types.map((t) => `${paDataTypeName(t) ?? 'PA-?'} (${t})`).join(', ') || 'none';

function toPrincipal(value: string | Principal, realm: string | undefined, enterprise: boolean): Principal {
  if (typeof value !== 'string') return value;
  return parsePrincipal(value, {
    ...(realm === undefined ? {} : { defaultRealm: realm }),
    ...(enterprise ? { enterprise: true } : {}),
  });
}

const tgsName = (realm: string): PrincipalName => ({
  nameType: NameType.NT_SRV_INST,
  nameString: ['krbtgt', realm],
});

/** Creates an AS exchange. Throws `ExchangePolicyError` for arguments that cannot work. */
export function createAsExchange(options: AsExchangeOptions): AsExchange {
  return new AsExchangeImpl(options);
}

class AsExchangeImpl implements AsExchange {
  readonly messages: ExchangeMessage[] = [];
  readonly kdcErrors: KerberosError[] = [];
  current: ExchangeStep | undefined;
  realm: string;
  kdcTimeOffsetMs = 0;

  private readonly clock: Clock;
  private readonly random: Random;
  private readonly etypes: readonly number[];
  private readonly client: Principal;
  private readonly explicitServer: Principal | undefined;
  private readonly canonicalize: boolean;
  private readonly lifetimeMs: number;
  private readonly renewLifetimeMs: number | undefined;
  private readonly kdcOptions: number;
  private readonly clockSkewMs: number | undefined;
  private readonly maxReferrals: number;
  private readonly visitedRealms = new Set<string>();
  private readonly keyCache = new Map<string, Promise<Key>>();

  private state: 'new' | 'waiting' | 'finished' = 'new';
  private pending: (PendingRequest & { readonly sentTimestamp: boolean }) | undefined;
  /** Key for PA-ENC-TIMESTAMP, once known. */
  private preauthKey: Key | undefined;
  private cookie: Uint8Array | undefined;
  private etypeInfo = new Map<number, SaltInfo>();
  private skewCorrected = false;
  private observedOffsetMs: number | undefined;

  constructor(private readonly options: AsExchangeOptions) {
    const o = options.options ?? {};
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? cryptoRandom;
    this.etypes = resolveEtypes(o.etypes, o.allowRc4 === true);
    const enterprise = o.enterprise === true;
    this.client = toPrincipal(options.client, options.realm, enterprise);
    if (this.client.realm === '') {
      throw new ExchangePolicyError('bad-argument', 'the client principal has no realm', {
        hint: 'write it as name@REALM or pass `realm`',
      });
    }
    this.realm = this.client.realm;
    this.explicitServer =
      options.server === undefined ? undefined : toPrincipal(options.server, this.realm, false);
    this.canonicalize = o.canonicalize === true || enterprise;
    this.lifetimeMs = positiveSeconds('lifetimeSeconds', o.lifetimeSeconds, DEFAULT_LIFETIME_SECONDS) * 1000;
    const renewable = o.renewable === true || o.renewLifetimeSeconds !== undefined;
    this.renewLifetimeMs = renewable
      ? positiveSeconds('renewLifetimeSeconds', o.renewLifetimeSeconds, DEFAULT_RENEW_LIFETIME_SECONDS) * 1000
      : undefined;
    const names: KdcOptionName[] = [];
    if (o.forwardable === true) names.push('forwardable');
    if (o.proxiable === true) names.push('proxiable');
    if (renewable) names.push('renewable');
    if (this.canonicalize) names.push('canonicalize');
    if (o.renewableOk ?? true) names.push('renewableOk');
    this.kdcOptions = kdcOptions(names) >>> 0;
    this.clockSkewMs =
      options.kdcTimesync === false
        ? positiveSeconds('clockSkewSeconds', options.clockSkewSeconds, DEFAULT_CLOCK_SKEW_SECONDS) * 1000
        : undefined;
    this.maxReferrals = options.maxReferrals ?? DEFAULT_MAX_REFERRALS;
    const creds = options.credentials;
    if ('key' in creds) {
      const keys = Array.isArray(creds.key) ? creds.key : [creds.key as Key];
      if (!keys.some((k) => this.etypes.includes(k.enctype))) {
        throw new ExchangePolicyError('no-key', 'none of the given keys has a requested enctype', {
          hint: `requested: ${this.etypes.join(', ')}`,
        });
      }
    }
    this.visitedRealms.add(this.realm);
  }

  start(): ExchangeStep {
    if (this.state !== 'new') throw new ExchangeStateError('start() was already called');
    this.state = 'waiting';
    const creds = this.options.credentials;
    if ('password' in creds) {
      if (creds.salt !== undefined) {
        this.etypeInfo.set(this.etypes[0]!, { salt: creds.salt, s2kparams: creds.s2kparams });
      }
    } else if (this.options.options?.preauthUpfront ?? true) {
      const keys = this.storedKeys();
      const etype = this.etypes.find((t) => keys.some((k) => k.enctype === t));
      this.preauthKey = keys.find((k) => k.enctype === etype);
    }
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
      const answer = decodeKdcAnswer(reply, 11);
      if (answer.kind === 'error') {
        const error = kerberosErrorOf(answer.krbError, this.realm);
        this.kdcErrors.push(error);
        this.observedOffsetMs = offsetFromError(error, this.clock.now());
        return await this.onError(error);
      }
      return this.finish({ kind: 'done', credential: await this.onReply(answer.rep) });
    } catch (e) {
      return this.fail(e);
    }
  }

  // ---- requests ------------------------------------------------------------------------

  private server(): Principal {
    if (this.explicitServer !== undefined) {
      // A client referral moves the whole request, the service's realm included.
      return this.realm === this.client.realm
        ? this.explicitServer
        : { realm: this.realm, name: this.explicitServer.name };
    }
    return { realm: this.realm, name: tgsName(this.realm) };
  }

  private sendRequest(preferStream = false): ExchangeStep {
    const now = this.clock.now() + this.kdcTimeOffsetMs;
    const nonce = randomNonce(this.random);
    const till = kerberosTimeOf(now + this.lifetimeMs).time;
    const rtime =
      this.renewLifetimeMs === undefined ? undefined : kerberosTimeOf(now + this.renewLifetimeMs).time;
    const server = this.server();
    const body: KdcReqBody = {
      kdcOptions: this.kdcOptions,
      cname: this.client.name,
      realm: this.realm,
      sname: server.name,
      till,
      ...(rtime === undefined ? {} : { rtime }),
      nonce,
      etype: [...this.etypes],
    };
    const padata: PaData[] = [];
    if (this.preauthKey !== undefined) padata.push(this.encTimestamp(this.preauthKey, now));
    if (this.cookie !== undefined)
      padata.push({ padataType: PaDataType.PA_FX_COOKIE, padataValue: this.cookie });
    const requestPac = this.options.options?.requestPac;
    if (requestPac !== undefined) {
      padata.push({
        padataType: PaDataType.PA_PAC_REQUEST,
        padataValue: encode(PaPacRequest, { includePac: requestPac }),
      });
    }
    const bytes = encode(AsReq, {
      pvno: 5,
      msgType: 10,
      ...(padata.length > 0 ? { padata } : {}),
      reqBody: { value: body },
    });
    this.pending = {
      nonce,
      etypes: this.etypes,
      requestTime: now,
      till,
      rtime,
      renewable: rtime !== undefined,
      sname: server.name,
      srealm: server.realm,
      canonicalize: this.canonicalize,
      sentTimestamp: this.preauthKey !== undefined,
    };
    this.messages.push({ direction: 'sent', realm: this.realm, bytes });
    const step: ExchangeStep = preferStream
      ? { kind: 'send', realm: this.realm, bytes, preferStream: true }
      : { kind: 'send', realm: this.realm, bytes };
    this.current = step;
    return step;
  }

  /** PA-ENC-TIMESTAMP: PA-ENC-TS-ENC encrypted with the client key, usage 1 (§5.2.7.2). */
  private encTimestamp(key: Key, now: number): PaData {
    const { time, usec } = kerberosTimeOf(now);
    const plain = encode(PaEncTsEnc, { patimestamp: time, pausec: usec });
    const cipher = encryptWith(key, KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, plain, this.random);
    return {
      padataType: PaDataType.PA_ENC_TIMESTAMP,
      padataValue: encode(EncryptedData, { etype: key.enctype, cipher }),
    };
  }

  // ---- keys ----------------------------------------------------------------------------

  /** Keys given directly or in a keytab, best kvno first, for the current client. */
  private storedKeys(): Key[] {
    const creds = this.options.credentials;
    if ('key' in creds) return Array.isArray(creds.key) ? [...creds.key] : [creds.key as Key];
    if (!('keytab' in creds)) return [];
    const mine = creds.keytab.filter(
      (e) =>
        e.principal === undefined ||
        (sameName(e.principal.name, this.client.name) &&
          (e.principal.realm === this.client.realm || e.principal.realm === this.realm)),
    );
    return [...mine].sort((a, b) => (b.kvno ?? 0) - (a.kvno ?? 0)).map((e) => e.key);
  }

  private hasKeyFor(etype: number): boolean {
    if (!isEnctypeEnabled(etype)) return false;
    return 'password' in this.options.credentials || this.storedKeys().some((k) => k.enctype === etype);
  }

  /** The long-term key of `etype`: from storage, or string-to-key with the known salt. */
  private async longTermKey(etype: number, extraInfo?: SaltInfo): Promise<Key> {
    const creds = this.options.credentials;
    if (!('password' in creds)) {
      const key = this.storedKeys().find((k) => k.enctype === etype);
      if (key === undefined) {
        throw new ExchangePolicyError(
          'no-key',
          `no key of enctype ${etype} for ${showName(this.client.name, this.client.realm)} in the given keys or keytab`,
          { hint: 'add a key of that enctype to the keytab, or restrict `etypes` to the ones it has' },
        );
      }
      return key;
    }
    const info = extraInfo ?? this.etypeInfo.get(etype);
    const salt = info?.salt ?? defaultSalt({ realm: this.realm, name: this.client.name });
    const params = info?.s2kparams;
    const cacheKey = `${etype}|${typeof salt === 'string' ? `s:${salt}` : `b:${[...salt].join(',')}`}|${params === undefined ? '' : [...params].join(',')}`;
    let key = this.keyCache.get(cacheKey);
    if (key === undefined) {
      key = stringToKey(etype, creds.password, salt, params);
      this.keyCache.set(cacheKey, key);
    }
    return key;
  }

  // ---- KRB-ERROR -----------------------------------------------------------------------

  private async onError(error: KerberosError): Promise<ExchangeStep> {
    switch (error.code) {
      case ErrorCode.KDC_ERR_PREAUTH_REQUIRED:
      case ErrorCode.KDC_ERR_MORE_PREAUTH_DATA_REQUIRED:
        return this.onPreauthRequired(error);
      case ErrorCode.KRB_AP_ERR_SKEW:
        if (this.skewCorrected) return this.fail(error);
        // Correct once, from the KDC's own time in the error (MIT does the same).
        this.skewCorrected = true;
        this.kdcTimeOffsetMs = this.observedOffsetMs ?? 0;
        return this.sendRequest();
      case ErrorCode.KDC_ERR_WRONG_REALM:
        return this.onWrongRealm(error);
      case ErrorCode.KRB_ERR_RESPONSE_TOO_BIG:
        if (
          this.pending !== undefined &&
          this.current?.kind === 'send' &&
          this.current.preferStream !== true
        ) {
          const step: ExchangeStep = { ...this.current, preferStream: true };
          this.messages.push({ direction: 'sent', realm: this.realm, bytes: step.bytes });
          this.current = step;
          return step;
        }
        return this.fail(error);
      default:
        return this.fail(error);
    }
  }

  private async onPreauthRequired(error: KerberosError): Promise<ExchangeStep> {
    if (this.pending?.sentTimestamp === true) {
      // A timestamp was sent and the KDC still wants pre-authentication: another method
      // (FAST, OTP, PKINIT...) is required.
      return this.fail(
        new ExchangePolicyError(
          'unsupported-preauth',
          `the KDC of ${this.realm} wants more pre-authentication than PA-ENC-TIMESTAMP (offered: ${describePadata(error.padata.map((p) => p.padataType))})`,
          {
            cause: error,
            hint: 'the principal needs a pre-authentication method PostNTLM does not implement',
          },
        ),
      );
    }
    const padata = error.padata;
    const offered = padata.map((p) => p.padataType);
    if (!offered.includes(PaDataType.PA_ENC_TIMESTAMP)) {
      return this.fail(
        new ExchangePolicyError(
          'unsupported-preauth',
          `the KDC of ${this.realm} offers pre-authentication ${describePadata(offered)}, none of which PostNTLM implements (${describePadata(SUPPORTED_PREAUTH)})`,
          { cause: error, hint: 'FAST/PKINIT/OTP-only principals are not supported yet' },
        ),
      );
    }
    this.cookie = padata.find((p) => p.padataType === PaDataType.PA_FX_COOKIE)?.padataValue;
    const entries = etypeInfoOf(padata);
    const pwSalt = pwSaltOf(padata);
    for (const e of entries) this.etypeInfo.set(e.etype, e.info);
    if (entries.length === 0 && pwSalt !== undefined) {
      for (const etype of this.etypes) this.etypeInfo.set(etype, { salt: pwSalt, s2kparams: undefined });
    }
    // The first ETYPE-INFO2 entry we support and the caller allows (the KDC lists them in
    // its preference order); without ETYPE-INFO2, our first enctype with the default salt.
    const candidates = entries.length > 0 ? entries.map((e) => e.etype) : [...this.etypes];
    const etype = candidates.find((t) => this.etypes.includes(t) && this.hasKeyFor(t));
    if (etype === undefined) {
      return this.fail(
        new ExchangePolicyError(
          'no-usable-enctype',
          `the KDC of ${this.realm} wants pre-authentication with enctype(s) ${candidates.join(', ')}, none of which is requested and available (${this.etypes.join(', ')})`,
          { cause: error, hint: 'allow one of the KDC’s enctypes in `etypes`, or add its key to the keytab' },
        ),
      );
    }
    this.preauthKey = await this.longTermKey(etype);
    return this.sendRequest();
  }

  private onWrongRealm(error: KerberosError): ExchangeStep {
    const target = error.crealm;
    if (target === undefined || target === '' || target === this.realm) return this.fail(error);
    if (this.visitedRealms.has(target)) {
      return this.fail(
        new ExchangePolicyError(
          'referral-loop',
          `client referral loop: ${[...this.visitedRealms].join(' -> ')} -> ${target}`,
          { cause: error, hint: 'the realms’ referral configuration is inconsistent' },
        ),
      );
    }
    if (this.visitedRealms.size > this.maxReferrals) {
      return this.fail(
        new ExchangePolicyError('too-many-referrals', `more than ${this.maxReferrals} client referrals`, {
          cause: error,
        }),
      );
    }
    this.visitedRealms.add(target);
    this.realm = target;
    // Pre-authentication state belongs to the previous realm's KDC.
    this.preauthKey = undefined;
    this.cookie = undefined;
    this.etypeInfo = new Map();
    this.skewCorrected = false;
    return this.sendRequest();
  }

  // ---- AS-REP --------------------------------------------------------------------------

  private async onReply(rep: KdcRep): Promise<Credential> {
    const request = this.pending!;
    const etype = rep.encPart.etype;
    if (!this.etypes.includes(etype)) {
      throw new ReplyVerificationError(
        'enctype',
        `the AS-REP is encrypted with enctype ${etype}, which was not requested (${this.etypes.join(', ')})`,
      );
    }
    // The reply key: the one pre-authentication used, else from the reply's ETYPE-INFO2 /
    // PW-SALT (RFC 4120 §5.2.7.5), else from what we know.
    let key: Key;
    if (this.preauthKey !== undefined && this.preauthKey.enctype === etype) {
      key = this.preauthKey;
    } else {
      const padata = rep.padata ?? [];
      const info = etypeInfoOf(padata).find((e) => e.etype === etype)?.info;
      const pwSalt = pwSaltOf(padata);
      key = await this.longTermKey(
        etype,
        info ?? (pwSalt === undefined ? undefined : { salt: pwSalt, s2kparams: undefined }),
      );
    }
    const decrypted = tryDecryptEncPart(rep, key, KeyUsage.AS_REP_ENCPART);
    if (decrypted.error !== undefined) {
      const who = showName(this.client.name, this.client.realm);
      if ('password' in this.options.credentials)
        throw new PasswordIncorrectError(who, { cause: decrypted.error });
      throw new ReplyVerificationError(
        'decrypt',
        `the AS-REP does not decrypt with the key of ${who} (enctype ${etype})`,
        { cause: decrypted.error, hint: 'the keytab is out of date (the key version changed)' },
      );
    }
    const part = decrypted.part;
    checkCommonReply(rep, part, request, 'as', this.clockSkewMs);
    this.checkNames(rep, part, request);
    return this.credentialOf(rep, part);
  }

  private checkNames(rep: KdcRep, part: DecryptedEncPart, request: PendingRequest): void {
    if (!this.canonicalize) {
      if (rep.crealm !== this.realm || !sameName(rep.cname, this.client.name)) {
        throw new ReplyVerificationError(
          'client',
          `the AS-REP is for ${showName(rep.cname, rep.crealm)}, not ${showName(this.client.name, this.realm)}`,
        );
      }
      if (part.srealm !== request.srealm || !sameName(part.sname, request.sname)) {
        throw new ReplyVerificationError(
          'server',
          `the AS-REP is for the service ${showName(part.sname, part.srealm)}, not ${showName(request.sname, request.srealm)}`,
        );
      }
    } else if (this.explicitServer === undefined && part.sname.nameString[0] !== 'krbtgt') {
      throw new ReplyVerificationError(
        'server',
        `a TGT was asked for but the AS-REP is for ${showName(part.sname, part.srealm)}`,
      );
    }
  }

  private credentialOf(rep: KdcRep, part: DecryptedEncPart): Credential {
    const now = this.clock.now();
    // KDC time offset: measured from the last KRB-ERROR's stime/susec (millisecond
    // precision) if there was one, else from authtime (the KDC's "now", whole seconds).
    const offset = this.observedOffsetMs ?? Math.round((part.authtime.getTime() + 500 - now) / 1000) * 1000;
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
      kdcTimeOffsetMs: offset,
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
    return this.finish({ kind: 'error', error: toClientError(e, 'AS exchange') });
  }
}
