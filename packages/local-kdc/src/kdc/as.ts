/**
 * The AS exchange, KDC side (RFC 4120 §3.1.2, §5.4.1-2): client and server lookup,
 * PA-ENC-TIMESTAMP pre-authentication (§5.2.7.2, key usage 1) with PA-ETYPE-INFO2
 * (§5.2.7.5) and PA-FX-COOKIE (RFC 6113 §5.2) in KDC_ERR_PREAUTH_REQUIRED, enctype choice,
 * and the TGT (or initial service ticket).
 */
import { decrypt, getEnctype, KeyUsage } from '@postntlm/krb5-crypto';
import {
  decode,
  EncryptedData,
  ErrorCode,
  EtypeInfo2,
  type EtypeInfo2Entry,
  encode,
  KdcOptionBits,
  type KdcReq,
  MethodData,
  type PaData,
  PaDataType,
  PaEncTsEnc,
  TicketFlagBits,
} from '@postntlm/krb5-messages';
import type { PrincipalEntry, PrincipalKey } from '../store/principal-store.js';
import {
  bitOf,
  isTgsName,
  type KdcContext,
  lookup,
  minLimit,
  option,
  sessionKey,
  tgsName,
  ticketKey,
  usable,
  usableKeys,
} from './context.js';
import { KdcFailure } from './failure.js';
import { type IssuedReply, makeReply, seconds } from './issue.js';
import { pacDeclined, pacInput, type TicketPac } from './pac-issue.js';
import { ENCTYPE_STRENGTH } from './policy.js';

/** PA-FX-COOKIE contents: this KDC keeps no state between the two AS-REQs, so the cookie is a constant the client echoes. */
const COOKIE = new TextEncoder().encode('LOCALKDC');

const AS_BAD_OPTIONS =
  bitOf(KdcOptionBits.renew) |
  bitOf(KdcOptionBits.validate) |
  bitOf(KdcOptionBits.encTktInSkey) |
  bitOf(KdcOptionBits.forwarded) |
  bitOf(KdcOptionBits.proxy) |
  bitOf(KdcOptionBits.cnameInAddlTkt);

function etypeInfo(entry: PrincipalEntry, key: PrincipalKey): EtypeInfo2Entry {
  const params = key.s2kparams ?? getEnctype(key.key.enctype).defaultS2kParams;
  return {
    etype: key.key.enctype,
    salt: key.salt ?? entry.principal.realm + entry.principal.name.nameString.join(''),
    ...(params.length === 0 ? {} : { s2kparams: params }),
  };
}

/** METHOD-DATA of PREAUTH_REQUIRED, cached per entry and offered enctypes (it only changes with the keys). */
const methodDataCache = new WeakMap<PrincipalEntry, Map<string, Uint8Array>>();

function preauthMethods(
  client: PrincipalEntry,
  offered: readonly number[],
  keys: ReadonlyMap<number, PrincipalKey>,
): Uint8Array {
  let perEntry = methodDataCache.get(client);
  if (perEntry === undefined) {
    perEntry = new Map();
    methodDataCache.set(client, perEntry);
  }
  const id = offered.join(',');
  let bytes = perEntry.get(id);
  if (bytes === undefined) {
    const methods: PaData[] = [
      {
        padataType: PaDataType.PA_ETYPE_INFO2,
        padataValue: encode(
          EtypeInfo2,
          offered.map((e) => etypeInfo(client, keys.get(e) as PrincipalKey)),
        ),
      },
      { padataType: PaDataType.PA_ENC_TIMESTAMP, padataValue: new Uint8Array(0) },
      { padataType: PaDataType.PA_FX_COOKIE, padataValue: COOKIE },
    ];
    bytes = encode(MethodData, methods);
    if (perEntry.size < 32) perEntry.set(id, bytes);
  }
  return bytes;
}

/** The AS-REP's PA-ETYPE-INFO2 for the reply key, cached per key. */
const replyInfoCache = new WeakMap<PrincipalKey, Uint8Array>();

function replyEtypeInfo(client: PrincipalEntry, key: PrincipalKey): Uint8Array {
  let bytes = replyInfoCache.get(key);
  if (bytes === undefined) {
    bytes = encode(EtypeInfo2, [etypeInfo(client, key)]);
    replyInfoCache.set(key, bytes);
  }
  return bytes;
}

function expired(entry: PrincipalEntry, nowMs: number): boolean {
  return entry.attributes.expiresAt !== undefined && entry.attributes.expiresAt.getTime() <= nowMs;
}

export async function handleAs(ctx: KdcContext, req: KdcReq): Promise<IssuedReply> {
  const body = req.reqBody.value;
  const cname = body.cname;
  const who = cname === undefined ? {} : { crealm: body.realm, cname };
  if (cname === undefined)
    throw new KdcFailure(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, { eText: 'NULL_CLIENT' });
  if (body.sname === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, { ...who, eText: 'NULL_SERVER' });
  }
  const client = body.realm === ctx.realm ? await lookup(ctx, body.realm, cname) : undefined;
  if (client === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, { ...who, eText: 'CLIENT_NOT_FOUND' });
  }
  const server = await lookup(ctx, ctx.realm, body.sname);
  if (server === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, { ...who, eText: 'SERVER_NOT_FOUND' });
  }
  const nowMs = ctx.clock.now();
  const skewMs = ctx.policy.skewSeconds * 1000;
  if (expired(client, nowMs))
    throw new KdcFailure(ErrorCode.KDC_ERR_NAME_EXP, { ...who, eText: 'CLIENT EXPIRED' });
  if (expired(server, nowMs)) {
    throw new KdcFailure(ErrorCode.KDC_ERR_SERVICE_EXP, { ...who, eText: 'SERVICE EXPIRED' });
  }
  if (server.attributes.disallowServer) {
    throw new KdcFailure(ErrorCode.KDC_ERR_MUST_USE_USER2USER, { ...who, eText: 'SERVER NOT ALLOWED' });
  }
  if (client.attributes.lockedOut) {
    throw new KdcFailure(ErrorCode.KDC_ERR_CLIENT_REVOKED, { ...who, eText: 'LOCKED_OUT' });
  }
  const options = body.kdcOptions;
  if ((options & AS_BAD_OPTIONS) !== 0) {
    throw new KdcFailure(ErrorCode.KDC_ERR_BADOPTION, { ...who, eText: 'INVALID AS OPTIONS' });
  }
  const postdate = option(options, KdcOptionBits.postdated) || option(options, KdcOptionBits.allowPostdate);
  if (postdate || (body.from !== undefined && body.from.getTime() > nowMs + skewMs)) {
    throw new KdcFailure(ErrorCode.KDC_ERR_CANNOT_POSTDATE, { ...who, eText: 'POSTDATE NOT ALLOWED' });
  }

  // Reply key: the strongest enctype of request ∩ client keys ∩ policy.
  const clientKeys = usableKeys(ctx, client);
  const requested = new Set(body.etype);
  const offered = ENCTYPE_STRENGTH.filter((e) => requested.has(e) && clientKeys.has(e));
  const replyEtype = offered[0];
  const serverKeys = usableKeys(ctx, server);
  // Session key: the client's first choice the server has a key for (RFC 4120 §3.1.3, as MIT).
  const sessionEtype = body.etype.find((e) => serverKeys.has(e) && usable(ctx, e));
  if (replyEtype === undefined || sessionEtype === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_ETYPE_NOSUPP, { ...who, eText: 'BAD_ENCRYPTION_TYPE' });
  }
  let replyKey = clientKeys.get(replyEtype) as PrincipalKey;

  // Pre-authentication (PA-ENC-TIMESTAMP only).
  const padata = req.padata ?? [];
  const ts = padata.find((p) => p.padataType === PaDataType.PA_ENC_TIMESTAMP);
  let preauthenticated = false;
  if (ts !== undefined) {
    const failed = () =>
      new KdcFailure(ErrorCode.KDC_ERR_PREAUTH_FAILED, { ...who, eText: 'PREAUTH_FAILED' });
    let stampMs: number;
    try {
      const enc = decode(EncryptedData, ts.padataValue);
      const key = clientKeys.get(enc.etype);
      if (key === undefined) throw failed();
      const stamp = decode(PaEncTsEnc, decrypt(key.key, KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, enc.cipher));
      stampMs = stamp.patimestamp.getTime() + Math.floor((stamp.pausec ?? 0) / 1000);
      // The client proved it holds this key: reply with it (when it asked for that enctype),
      // so it needs no second string-to-key (MIT clients pick from ETYPE-INFO2 in their own order).
      if (offered.includes(enc.etype)) replyKey = key;
    } catch {
      // A wrong password (or garbage) counts towards the lockout, as in MIT.
      await ctx.store.recordPreauth?.(client, 'failure', nowMs);
      throw failed();
    }
    if (Math.abs(stampMs - nowMs) > skewMs) {
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_SKEW, { ...who, eText: 'CLOCK_SKEW' });
    }
    await ctx.store.recordPreauth?.(client, 'success', nowMs);
    preauthenticated = true;
  } else if (client.attributes.requiresPreauth) {
    throw new KdcFailure(ErrorCode.KDC_ERR_PREAUTH_REQUIRED, {
      ...who,
      eText: 'NEEDED_PREAUTH',
      eData: preauthMethods(client, offered, clientKeys),
    });
  }

  // Times and flags (§3.1.3).
  const start = seconds(nowMs).getTime();
  const tillMs = body.till.getTime() === 0 ? Number.POSITIVE_INFINITY : body.till.getTime();
  const lifeMs =
    minLimit(ctx.policy.maxLifeSeconds, client.attributes.maxLifeSeconds, server.attributes.maxLifeSeconds) *
    1000;
  const endMs = Math.min(tillMs, start + lifeMs);
  if (endMs <= start) throw new KdcFailure(ErrorCode.KDC_ERR_NEVER_VALID, { ...who, eText: 'NEVER_VALID' });
  let flags = bitOf(TicketFlagBits.initial);
  if (preauthenticated) flags |= bitOf(TicketFlagBits.preAuthent);
  if (option(options, KdcOptionBits.forwardable) && ctx.policy.allowForwardable) {
    flags |= bitOf(TicketFlagBits.forwardable);
  }
  if (option(options, KdcOptionBits.proxiable) && ctx.policy.allowProxiable)
    flags |= bitOf(TicketFlagBits.proxiable);
  let renewTill: Date | undefined;
  const renewable = option(options, KdcOptionBits.renewable);
  const renewableOk = option(options, KdcOptionBits.renewableOk) && tillMs > endMs;
  const renewMs =
    minLimit(
      ctx.policy.maxRenewSeconds,
      client.attributes.maxRenewSeconds,
      server.attributes.maxRenewSeconds,
    ) * 1000;
  if ((renewable || renewableOk) && renewMs > 0) {
    const rtime =
      body.rtime === undefined
        ? tillMs
        : body.rtime.getTime() === 0
          ? Number.POSITIVE_INFINITY
          : body.rtime.getTime();
    const until = Math.min(renewable ? Math.max(rtime, tillMs) : tillMs, start + renewMs);
    if (until > endMs) {
      flags |= bitOf(TicketFlagBits.renewable);
      renewTill = seconds(until);
    }
  }
  const key = sessionKey(ctx, sessionEtype);
  const canonicalize = option(options, KdcOptionBits.canonicalize);
  const authtime = new Date(start);
  const serverKey = ticketKey(ctx, server);
  let pac: TicketPac | undefined;
  if (ctx.policy.issuePac && !server.attributes.noAuthDataRequired && !pacDeclined(req.padata)) {
    const service = !isTgsName(server.principal.name, ctx.realm);
    const krbtgt = service ? await lookup(ctx, ctx.realm, tgsName(ctx.realm)) : server;
    if (krbtgt === undefined) throw new KdcFailure(ErrorCode.KRB_ERR_GENERIC, { ...who, eText: 'NO KRBTGT' });
    pac = {
      input: pacInput(ctx, client, client.principal.name, authtime),
      keys: { server: serverKey.key, kdc: ticketKey(ctx, krbtgt).key },
      service,
    };
  }
  return makeReply({
    pac,
    kind: 'as',
    encPartTag: ctx.policy.asRepEncPartTag,
    realm: ctx.realm,
    sname: canonicalize ? server.principal.name : body.sname,
    serverKey,
    flags,
    sessionKey: key,
    crealm: ctx.realm,
    cname: canonicalize ? client.principal.name : cname,
    repCname: canonicalize ? client.principal.name : cname,
    authtime,
    starttime: authtime,
    endtime: seconds(endMs),
    renewTill,
    caddr: body.addresses,
    nonce: body.nonce,
    replyKey: replyKey.key,
    replyKvno: replyKey.kvno,
    replyUsage: KeyUsage.AS_REP_ENCPART,
    padata: [
      {
        padataType: PaDataType.PA_ETYPE_INFO2,
        padataValue: replyEtypeInfo(client, replyKey),
      },
    ],
  });
}
