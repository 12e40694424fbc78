/**
 * An in-memory KDC for the exchanges' edge cases: enough of RFC 4120 §3.1.2 / §3.3.2 (AS
 * with PA-ENC-TIMESTAMP pre-authentication, ETYPE-INFO2 and a cookie; TGS with PA-TGS-REQ,
 * the req-body checksum, subkeys; client and server referrals; clock skew) to drive the
 * client, plus hooks that break its replies on purpose. It checks what MIT checks where the
 * tests need it (the checksum over the exact req-body bytes). Not a real KDC: the interop
 * tests against MIT are the proof.
 */
import type { Infer } from '@postntlm/der-asn1';
import {
  decrypt,
  Enctype,
  encrypt,
  getEnctype,
  type Key,
  KeyUsage,
  randomToKey,
  stringToKey,
  verifyChecksum,
} from '@postntlm/krb5-crypto';
import {
  ApReq,
  AsRep,
  AsReq,
  Authenticator,
  decode,
  EncKdcRepPart,
  EncryptedData,
  EncTicketPart,
  ErrorCode,
  EtypeInfo2,
  encode,
  KdcOptionBits,
  type KdcReqBody,
  KrbError,
  MethodData,
  NameType,
  type PaData,
  PaDataType,
  PaEncTsEnc,
  type PrincipalName,
  peekMessageType,
  RawTicket,
  TgsRep,
  TgsReq,
  Ticket,
  ticketFlags,
} from '@postntlm/krb5-messages';
import type { Clock, Random } from '../../src/exchange/index.js';

export interface FakePrincipal {
  readonly password: string;
  /** Require PA-ENC-TIMESTAMP (default true). */
  readonly preauth?: boolean;
  /** Enctypes of its keys (default 18, 17, 20, 19). */
  readonly etypes?: readonly number[];
  /** Salt (default: realm + components). */
  readonly salt?: string;
}

/** Hooks to break replies: each gets the value the KDC would use and returns what it uses. */
export interface FakeKdcHooks {
  encPart?(part: EncPart, kind: 'as' | 'tgs'): EncPart;
  /** The raw reply bytes. */
  reply?(bytes: Uint8Array, kind: 'as' | 'tgs'): Uint8Array;
  /** A PREAUTH_REQUIRED METHOD-DATA. */
  methodData?(padata: PaData[]): PaData[];
}

type EncPart = Infer<typeof EncKdcRepPart>;

export interface FakeRealmOptions {
  readonly principals: Readonly<Record<string, FakePrincipal>>;
  /** Client name -> realm to refer it to (KDC_ERR_WRONG_REALM). */
  readonly clientReferrals?: Readonly<Record<string, string>>;
  /** Service name (`cifs/host`) -> realm whose krbtgt this KDC returns instead. */
  readonly serverReferrals?: Readonly<Record<string, string>>;
  /** Service name -> the canonical name the KDC issues the ticket for. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Tag of the AS-REP enc-part (MIT: 26). */
  readonly asRepTag?: 25 | 26;
  /** Key the TGS-REP enc-part is encrypted in (default: the subkey, usage 9). */
  readonly tgsReplyKey?: 'subkey' | 'session';
  /** Allowed clock skew, seconds (default 300). */
  readonly skewSeconds?: number;
  /** Offered pre-authentication types in PREAUTH_REQUIRED (default ENC-TIMESTAMP). */
  readonly offeredPreauth?: readonly number[];
  /** Answer PREAUTH_REQUIRED without PA-ETYPE-INFO2. */
  readonly noEtypeInfo?: boolean;
  readonly hooks?: FakeKdcHooks;
}

interface Entry {
  readonly keys: Map<number, Key>;
  readonly salt: string;
  readonly preauth: boolean;
}

const COOKIE = new TextEncoder().encode('FAKE-COOKIE');
const DEFAULT_ETYPES = [18, 17, 20, 19];

const nameKey = (name: PrincipalName): string => name.nameString.join('/');

/** string-to-key is slow on purpose (PBKDF2): derive each key once per test file. */
const keyCache = new Map<string, Promise<Key>>();
export function cachedKey(etype: number, password: string, salt: string): Promise<Key> {
  const id = `${etype}\0${password}\0${salt}`;
  let key = keyCache.get(id);
  if (key === undefined) {
    key = stringToKey(etype, password, salt);
    keyCache.set(id, key);
  }
  return key;
}

/** A set of realms sharing cross-realm keys. */
export class FakeKdcNetwork {
  readonly realms = new Map<string, FakeKdc>();
  /** `krbtgt/B@A` -> key (shared by A and B). */
  readonly tgsKeys = new Map<string, Key>();
  /** Every request and reply, in order. */
  readonly log: { realm: string; request: Uint8Array; reply: Uint8Array }[] = [];

  constructor(
    readonly clock: Clock,
    readonly random: Random,
  ) {}

  async addRealm(realm: string, options: FakeRealmOptions): Promise<FakeKdc> {
    const kdc = new FakeKdc(this, realm, options);
    for (const [name, p] of Object.entries(options.principals)) {
      const salt = p.salt ?? realm + name.split('/').join('');
      const keys = new Map<number, Key>();
      for (const etype of p.etypes ?? DEFAULT_ETYPES)
        keys.set(etype, await cachedKey(etype, p.password, salt));
      kdc.db.set(name, { keys, salt, preauth: p.preauth ?? true });
    }
    this.realms.set(realm, kdc);
    return kdc;
  }

  tgsKey(service: string, realm: string): Key {
    const id = `krbtgt/${service}@${realm}`;
    let key = this.tgsKeys.get(id);
    if (key === undefined) {
      key = randomToKey(Enctype.AES256_CTS_HMAC_SHA1_96, this.random.bytes(32));
      this.tgsKeys.set(id, key);
    }
    return key;
  }

  /** A send function for `runExchange`. */
  send = async (realm: string, request: Uint8Array): Promise<Uint8Array> => {
    const kdc = this.realms.get(realm);
    if (kdc === undefined) throw new Error(`fake network: no KDC for realm ${realm}`);
    const reply = kdc.handle(request);
    this.log.push({ realm, request, reply });
    return reply;
  };
}

class KdcFailure extends Error {
  constructor(
    readonly code: number,
    readonly extra: { eData?: Uint8Array; crealm?: string; eText?: string } = {},
  ) {
    super(`KDC error ${code}`);
  }
}

export class FakeKdc {
  readonly db = new Map<string, Entry>();
  constructor(
    readonly network: FakeKdcNetwork,
    readonly realm: string,
    readonly options: FakeRealmOptions,
  ) {}

  private now(): number {
    return this.network.clock.now();
  }

  handle(request: Uint8Array): Uint8Array {
    const type = peekMessageType(request);
    try {
      if (type === 10) return this.hook(this.as(request), 'as');
      if (type === 12) return this.hook(this.tgs(request), 'tgs');
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_MSG_TYPE);
    } catch (e) {
      if (!(e instanceof KdcFailure)) throw e;
      return this.error(e);
    }
  }

  private hook(bytes: Uint8Array, kind: 'as' | 'tgs'): Uint8Array {
    return this.options.hooks?.reply?.(bytes, kind) ?? bytes;
  }

  private error(e: KdcFailure): Uint8Array {
    const now = this.now();
    const seconds = Math.floor(now / 1000);
    return encode(KrbError, {
      pvno: 5,
      msgType: 30,
      stime: new Date(seconds * 1000),
      susec: Math.floor(now - seconds * 1000) * 1000,
      errorCode: e.code,
      ...(e.extra.crealm === undefined ? {} : { crealm: e.extra.crealm }),
      realm: this.realm,
      sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', this.realm] },
      ...(e.extra.eText === undefined ? {} : { eText: e.extra.eText }),
      ...(e.extra.eData === undefined ? {} : { eData: e.extra.eData }),
    });
  }

  private skewOk(ms: number): boolean {
    return Math.abs(ms - this.now()) <= (this.options.skewSeconds ?? 300) * 1000;
  }

  // ---- AS ------------------------------------------------------------------------------

  private as(request: Uint8Array): Uint8Array {
    const req = decode(AsReq, request);
    const body = req.reqBody.value;
    const cname = body.cname!;
    const referral = this.options.clientReferrals?.[nameKey(cname)];
    if (referral !== undefined) {
      throw new KdcFailure(ErrorCode.KDC_ERR_WRONG_REALM, { crealm: referral, eText: 'WRONG_REALM' });
    }
    const client = this.db.get(nameKey(cname));
    if (client === undefined) throw new KdcFailure(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN);
    const replyEtype = body.etype.find((e) => client.keys.has(e));
    if (replyEtype === undefined) throw new KdcFailure(ErrorCode.KDC_ERR_ETYPE_NOSUPP);
    const padata = req.padata ?? [];
    const ts = padata.find((p) => p.padataType === PaDataType.PA_ENC_TIMESTAMP);
    let replyKey = client.keys.get(replyEtype)!;
    if (client.preauth && ts === undefined) {
      let methods: PaData[] = [];
      if (this.options.noEtypeInfo !== true) {
        methods.push({
          padataType: PaDataType.PA_ETYPE_INFO2,
          padataValue: encode(EtypeInfo2, [{ etype: replyEtype, salt: client.salt }]),
        });
      }
      for (const t of this.options.offeredPreauth ?? [PaDataType.PA_ENC_TIMESTAMP]) {
        methods.push({ padataType: t, padataValue: new Uint8Array(0) });
      }
      methods.push({ padataType: PaDataType.PA_FX_COOKIE, padataValue: COOKIE });
      methods = this.options.hooks?.methodData?.(methods) ?? methods;
      throw new KdcFailure(ErrorCode.KDC_ERR_PREAUTH_REQUIRED, {
        eData: encode(MethodData, methods),
        eText: 'NEEDED_PREAUTH',
      });
    }
    if (ts !== undefined) {
      const enc = decode(EncryptedData, ts.padataValue);
      const key = client.keys.get(enc.etype);
      if (key === undefined) throw new KdcFailure(ErrorCode.KDC_ERR_ETYPE_NOSUPP);
      let plain: Uint8Array;
      try {
        plain = decrypt(key, KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, enc.cipher);
      } catch {
        throw new KdcFailure(ErrorCode.KDC_ERR_PREAUTH_FAILED, { eText: 'PREAUTH_FAILED' });
      }
      const stamp = decode(PaEncTsEnc, plain);
      if (!this.skewOk(stamp.patimestamp.getTime() + (stamp.pausec ?? 0) / 1000)) {
        throw new KdcFailure(ErrorCode.KRB_AP_ERR_SKEW);
      }
      replyKey = key;
    }
    const sname = body.sname!;
    const service = nameKey(sname);
    const serviceKey =
      sname.nameString[0] === 'krbtgt' ? this.network.tgsKey(sname.nameString[1]!, this.realm) : undefined;
    if (serviceKey === undefined) throw new KdcFailure(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
    const flags = ['initial', ...(ts ? (['preAuthent'] as const) : []), ...this.optionFlags(body)] as const;
    return this.reply('as', {
      body,
      crealm: this.realm,
      cname,
      srealm: this.realm,
      sname: { nameType: NameType.NT_SRV_INST, nameString: sname.nameString },
      serviceKey,
      replyKey,
      replyUsage: KeyUsage.AS_REP_ENCPART,
      flags: ticketFlags(flags),
      authtime: this.now(),
      padata: [
        {
          padataType: PaDataType.PA_ETYPE_INFO2,
          padataValue: encode(EtypeInfo2, [{ etype: replyKey.enctype, salt: client.salt }]),
        },
      ],
      service,
    });
  }

  private optionFlags(body: KdcReqBody): ('forwardable' | 'renewable' | 'proxiable')[] {
    const out: ('forwardable' | 'renewable' | 'proxiable')[] = [];
    const has = (bit: number) => (body.kdcOptions & (0x80000000 >>> bit)) !== 0;
    if (has(KdcOptionBits.forwardable)) out.push('forwardable');
    if (has(KdcOptionBits.renewable)) out.push('renewable');
    if (has(KdcOptionBits.proxiable)) out.push('proxiable');
    return out;
  }

  private reply(
    kind: 'as' | 'tgs',
    r: {
      body: KdcReqBody;
      crealm: string;
      cname: PrincipalName;
      srealm: string;
      sname: PrincipalName;
      serviceKey: Key;
      replyKey: Key;
      replyUsage: number;
      flags: number;
      authtime: number;
      padata?: PaData[];
      service: string;
      renewTill?: Date;
    },
  ): Uint8Array {
    const now = Math.floor(this.now() / 1000) * 1000;
    const sessionEtype = r.body.etype.find((e) => [17, 18, 19, 20].includes(e)) ?? 18;
    const session = randomToKey(sessionEtype, this.network.random.bytes(getEnctype(sessionEtype).seedLength));
    const endtime = new Date(Math.min(r.body.till.getTime(), now + 10 * 3600_000));
    const renewable = (r.flags & (0x80000000 >>> 8)) !== 0;
    const renewTill = renewable ? (r.renewTill ?? r.body.rtime ?? endtime) : undefined;
    const authtime = new Date(Math.floor(r.authtime / 1000) * 1000);
    const encTicket = encode(EncTicketPart, {
      flags: r.flags,
      key: { keytype: session.enctype, keyvalue: session.bytes },
      crealm: r.crealm,
      cname: r.cname,
      transited: { trType: 1, contents: new Uint8Array(0) },
      authtime,
      starttime: new Date(now),
      endtime,
      ...(renewTill === undefined ? {} : { renewTill }),
    });
    const ticket = {
      tktVno: 5,
      realm: r.srealm,
      sname: r.sname,
      encPart: {
        etype: r.serviceKey.enctype,
        kvno: 1,
        cipher: encrypt(r.serviceKey, KeyUsage.KDC_REP_TICKET, encTicket),
      },
    };
    let part: EncPart = {
      tag: kind === 'as' ? (this.options.asRepTag ?? 26) : 26,
      key: { keytype: session.enctype, keyvalue: session.bytes },
      lastReq: [],
      nonce: r.body.nonce,
      flags: r.flags,
      authtime,
      ...(kind === 'tgs' ? { starttime: new Date(now) } : {}),
      endtime,
      ...(renewTill === undefined ? {} : { renewTill }),
      srealm: r.srealm,
      sname: r.sname,
    };
    part = this.options.hooks?.encPart?.(part, kind) ?? part;
    const rep = {
      pvno: 5,
      msgType: kind === 'as' ? 11 : 13,
      ...(r.padata === undefined ? {} : { padata: r.padata }),
      crealm: r.crealm,
      cname: r.cname,
      ticket: { value: decode(Ticket, encode(Ticket, ticket)) },
      encPart: {
        etype: r.replyKey.enctype,
        cipher: encrypt(r.replyKey, r.replyUsage, encode(EncKdcRepPart, part)),
      },
    };
    return kind === 'as' ? encode(AsRep, { ...rep, msgType: 11 }) : encode(TgsRep, { ...rep, msgType: 13 });
  }

  // ---- TGS -----------------------------------------------------------------------------

  private tgs(request: Uint8Array): Uint8Array {
    const req = decode(TgsReq, request);
    const body = req.reqBody.value;
    const bodyDer = req.reqBody.der!;
    const pa = (req.padata ?? []).find((p) => p.padataType === PaDataType.PA_TGS_REQ);
    if (pa === undefined) throw new KdcFailure(ErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP);
    const ap = decode(ApReq, pa.padataValue);
    const tkt = ap.ticket.value;
    const renew = (body.kdcOptions & (0x80000000 >>> KdcOptionBits.renew)) !== 0;
    if (tkt.sname.nameString[0] !== 'krbtgt' || tkt.sname.nameString[1] !== this.realm) {
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_NOT_US);
    }
    const tgsKey = this.network.tgsKey(this.realm, tkt.realm);
    const encTicket = decode(EncTicketPart, decrypt(tgsKey, KeyUsage.KDC_REP_TICKET, tkt.encPart.cipher));
    const session: Key = { enctype: encTicket.key.keytype, bytes: encTicket.key.keyvalue };
    let auth: Authenticator;
    try {
      auth = decode(Authenticator, decrypt(session, KeyUsage.TGS_REQ_AUTH, ap.authenticator.cipher));
    } catch {
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
    }
    if (auth.cksum === undefined) throw new KdcFailure(ErrorCode.KRB_AP_ERR_INAPP_CKSUM);
    if (auth.cksum.cksumtype !== getEnctype(session.enctype).checksumType) {
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_INAPP_CKSUM);
    }
    if (
      !verifyChecksum(
        session,
        KeyUsage.TGS_REQ_AUTH_CKSUM,
        bodyDer,
        auth.cksum.checksum,
        auth.cksum.cksumtype,
      )
    ) {
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_MODIFIED);
    }
    if (!this.skewOk(auth.ctime.getTime() + auth.cusec / 1000))
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_SKEW);
    const subkey: Key | undefined =
      auth.subkey === undefined ? undefined : { enctype: auth.subkey.keytype, bytes: auth.subkey.keyvalue };
    const useSubkey = subkey !== undefined && (this.options.tgsReplyKey ?? 'subkey') === 'subkey';
    const replyKey = useSubkey ? subkey : session;
    const replyUsage = useSubkey ? KeyUsage.TGS_REP_ENCPART_SUBKEY : KeyUsage.TGS_REP_ENCPART_SESSKEY;
    const service = nameKey(body.sname!);
    const common = {
      body,
      crealm: encTicket.crealm,
      cname: encTicket.cname,
      replyKey,
      replyUsage,
      authtime: encTicket.authtime.getTime(),
    };
    if (renew) {
      return this.reply('tgs', {
        ...common,
        srealm: tkt.realm,
        sname: tkt.sname,
        serviceKey: tgsKey,
        flags: encTicket.flags,
        service,
        ...(encTicket.renewTill === undefined ? {} : { renewTill: encTicket.renewTill }),
      });
    }
    const sn = body.sname!.nameString;
    if (sn[0] === 'krbtgt' && sn.length === 2) {
      // A cross-realm TGT: krbtgt/OTHER@THIS, if a referral or the realm is known.
      const target = sn[1]!;
      const via = this.network.realms.has(target) ? target : this.options.serverReferrals?.[service];
      if (via === undefined) throw new KdcFailure(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
      return this.reply('tgs', {
        ...common,
        srealm: this.realm,
        sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', via] },
        serviceKey: this.network.tgsKey(via, this.realm),
        flags: ticketFlags(this.optionFlags(body)),
        service,
      });
    }
    const canonical = this.options.aliases?.[service];
    const entry = this.db.get(canonical ?? service);
    if (entry === undefined) {
      const refer = this.options.serverReferrals?.[service];
      const canonicalize = (body.kdcOptions & (0x80000000 >>> KdcOptionBits.canonicalize)) !== 0;
      if (refer === undefined || !canonicalize) throw new KdcFailure(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
      return this.reply('tgs', {
        ...common,
        srealm: this.realm,
        sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', refer] },
        serviceKey: this.network.tgsKey(refer, this.realm),
        flags: ticketFlags(this.optionFlags(body)),
        service,
      });
    }
    const serviceKey = [...entry.keys.values()][0]!;
    return this.reply('tgs', {
      ...common,
      srealm: this.realm,
      sname:
        canonical === undefined
          ? body.sname!
          : { nameType: body.sname!.nameType, nameString: canonical.split('/') },
      serviceKey,
      flags: ticketFlags(this.optionFlags(body)),
      service,
    });
  }

  /** Decrypts a service ticket issued here (for assertions). */
  ticketPart(ticketDer: Uint8Array): EncTicketPart {
    const t = decode(RawTicket, ticketDer).value;
    const n = t.sname.nameString;
    const key =
      n[0] === 'krbtgt'
        ? this.network.tgsKey(n[1]!, t.realm)
        : [...this.db.get(n.join('/'))!.keys.values()][0]!;
    return decode(EncTicketPart, decrypt(key, KeyUsage.KDC_REP_TICKET, t.encPart.cipher));
  }
}
