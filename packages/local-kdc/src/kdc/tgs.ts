/**
 * The TGS exchange, KDC side (RFC 4120 §3.3.2, §5.4.1-2, §7.2.2 checksum): the PA-TGS-REQ
 * AP-REQ (§5.5.1) with the TGT decrypted under the krbtgt key (usage 2), the authenticator
 * (usage 7) with its checksum over the exact KDC-REQ-BODY bytes (usage 6), service tickets,
 * renewal (§3.3.3) and canonicalization (RFC 6806). The reply is encrypted under the
 * authenticator subkey (usage 9) or the session key (usage 8).
 */
import {
  decrypt,
  getCksumtype,
  isCksumtypeSupported,
  type Key,
  KeyUsage,
  verifyChecksum,
} from '@postntlm/krb5-crypto';
import {
  ApReq,
  Authenticator,
  decode,
  type EncTicketPart,
  ErrorCode,
  KdcOptionBits,
  type KdcReq,
  PaDataType,
  type PrincipalName,
  principalEquals,
  TicketFlagBits,
} from '@postntlm/krb5-messages';
import { findPac } from '../pac/sign.js';
import type { PrincipalEntry, PrincipalKey } from '../store/principal-store.js';
import {
  bitOf,
  freshKey,
  isTgsName,
  type KdcContext,
  lookup,
  minLimit,
  openTicket,
  option,
  sessionKey,
  tgsName,
  ticketKey,
  usable,
  usableKeys,
} from './context.js';
import { type FailureFields, KdcFailure } from './failure.js';
import { type IssuedReply, makeReply, seconds } from './issue.js';
import { checkTgtPac, pacDeclined, pacInput, type TicketPac, withoutPac } from './pac-issue.js';

const TGS_UNSUPPORTED_OPTIONS =
  bitOf(KdcOptionBits.validate) |
  bitOf(KdcOptionBits.encTktInSkey) |
  bitOf(KdcOptionBits.cnameInAddlTkt) |
  bitOf(KdcOptionBits.postdated) |
  bitOf(KdcOptionBits.allowPostdate);

export async function handleTgs(ctx: KdcContext, req: KdcReq): Promise<IssuedReply> {
  const body = req.reqBody.value;
  const bodyDer = req.reqBody.der;
  const pa = (req.padata ?? []).find((p) => p.padataType === PaDataType.PA_TGS_REQ);
  if (pa === undefined || bodyDer === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP, { eText: 'NO PA-TGS-REQ' });
  }
  let ap: ApReq;
  try {
    ap = decode(ApReq, pa.padataValue);
  } catch {
    throw new KdcFailure(ErrorCode.KRB_ERR_GENERIC, { eText: 'MALFORMED PA-TGS-REQ' });
  }
  const header = ap.ticket.value;
  const renew = option(body.kdcOptions, KdcOptionBits.renew);
  if (header.realm !== ctx.realm || (!renew && !isTgsName(header.sname, ctx.realm))) {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_NOT_US, { eText: 'NOT_US' });
  }
  const headerServer = await lookup(ctx, ctx.realm, header.sname);
  if (headerServer === undefined) throw new KdcFailure(ErrorCode.KRB_AP_ERR_NOT_US, { eText: 'NOT_US' });
  const headerKey = headerServer.keys
    .filter(
      (k) =>
        k.key.enctype === header.encPart.etype &&
        (header.encPart.kvno === undefined || k.kvno === header.encPart.kvno),
    )
    .sort((a, b) => b.kvno - a.kvno)[0];
  if (headerKey === undefined || !usable(ctx, headerKey.key.enctype)) {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_BADKEYVER, { eText: 'NO MATCHING KEY' });
  }
  const integrity = (fields: FailureFields = {}) =>
    new KdcFailure(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, { eText: 'BAD_INTEGRITY', ...fields });
  let tgt: EncTicketPart;
  let session: Key | undefined;
  try {
    ({ part: tgt, session } = openTicket(headerKey.key, header.encPart.cipher));
  } catch {
    throw integrity();
  }
  const who: FailureFields = { crealm: tgt.crealm, cname: tgt.cname };
  if (session === undefined || !usable(ctx, session.enctype)) throw integrity(who);
  let auth: Authenticator;
  try {
    auth = decode(Authenticator, decrypt(session, KeyUsage.TGS_REQ_AUTH, ap.authenticator.cipher));
  } catch {
    throw integrity(who);
  }
  if (!principalEquals({ realm: auth.crealm, name: auth.cname }, { realm: tgt.crealm, name: tgt.cname })) {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_BADMATCH, { ...who, eText: 'BADMATCH' });
  }
  // A PAC in a TGT must carry our signatures (a forged or altered PAC is refused, as by Windows).
  if (isTgsName(header.sname, ctx.realm)) {
    try {
      checkTgtPac(tgt.authorizationData, headerKey.key);
    } catch {
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_MODIFIED, { ...who, eText: 'PAC SIGNATURE' });
    }
  }
  const nowMs = ctx.clock.now();
  const skewMs = ctx.policy.skewSeconds * 1000;
  const start = (tgt.starttime ?? tgt.authtime).getTime();
  if (start > nowMs + skewMs || option(tgt.flags, TicketFlagBits.invalid)) {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_TKT_NYV, { ...who, eText: 'TICKET NOT YET VALID' });
  }
  if (tgt.endtime.getTime() + skewMs < nowMs) {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_TKT_EXPIRED, { ...who, eText: 'TICKET EXPIRED' });
  }
  if (Math.abs(auth.ctime.getTime() + Math.floor(auth.cusec / 1000) - nowMs) > skewMs) {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_SKEW, { ...who, eText: 'CLOCK_SKEW' });
  }
  // The req-body checksum is required, keyed, and over the exact bytes sent (§7.2.2; MIT refuses its absence).
  const cksum = auth.cksum;
  if (cksum === undefined || !isCksumtypeSupported(cksum.cksumtype) || !getCksumtype(cksum.cksumtype).keyed) {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_INAPP_CKSUM, { ...who, eText: 'INAPP_CKSUM' });
  }
  let valid: boolean;
  try {
    valid = verifyChecksum(session, KeyUsage.TGS_REQ_AUTH_CKSUM, bodyDer, cksum.checksum, cksum.cksumtype);
  } catch {
    throw new KdcFailure(ErrorCode.KRB_AP_ERR_INAPP_CKSUM, { ...who, eText: 'INAPP_CKSUM' });
  }
  if (!valid) throw integrity(who);
  let subkey: Key | undefined;
  if (auth.subkey !== undefined) {
    subkey = freshKey(auth.subkey.keytype, auth.subkey.keyvalue);
    if (subkey === undefined || !usable(ctx, subkey.enctype)) {
      throw new KdcFailure(ErrorCode.KDC_ERR_ETYPE_NOSUPP, { ...who, eText: 'BAD SUBKEY ENCTYPE' });
    }
  }
  const reply =
    subkey === undefined
      ? { replyKey: session, replyUsage: KeyUsage.TGS_REP_ENCPART_SESSKEY }
      : { replyKey: subkey, replyUsage: KeyUsage.TGS_REP_ENCPART_SUBKEY };
  const options = body.kdcOptions;
  if ((options & TGS_UNSUPPORTED_OPTIONS) !== 0) {
    throw new KdcFailure(ErrorCode.KDC_ERR_BADOPTION, { ...who, eText: 'UNSUPPORTED TGS OPTIONS' });
  }
  if (body.encAuthorizationData !== undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_BADOPTION, {
      ...who,
      eText: 'ENC-AUTHORIZATION-DATA NOT SUPPORTED',
    });
  }
  const nowStart = seconds(nowMs).getTime();

  if (renew) {
    // §3.3.3.1: same ticket, new times, re-encrypted under the server's current key.
    if (!option(tgt.flags, TicketFlagBits.renewable) || tgt.renewTill === undefined) {
      throw new KdcFailure(ErrorCode.KDC_ERR_BADOPTION, { ...who, eText: 'TICKET NOT RENEWABLE' });
    }
    if (tgt.renewTill.getTime() < nowMs) {
      throw new KdcFailure(ErrorCode.KRB_AP_ERR_TKT_EXPIRED, { ...who, eText: 'RENEW TILL PASSED' });
    }
    if (
      body.sname !== undefined &&
      !principalEquals({ realm: body.realm, name: body.sname }, { realm: header.realm, name: header.sname })
    ) {
      throw new KdcFailure(ErrorCode.KDC_ERR_SERVER_NOMATCH, { ...who, eText: 'SERVER_NOMATCH' });
    }
    const oldLife = tgt.endtime.getTime() - start;
    const endMs = Math.min(tgt.renewTill.getTime(), nowStart + Math.max(oldLife, 1000));
    const renewedKey = ticketKey(ctx, headerServer);
    // A renewed ticket with a PAC gets it signed anew (its ticket signature covers the new times).
    const pac =
      findPac(tgt.authorizationData) === undefined
        ? undefined
        : await ticketPac(ctx, headerServer, renewedKey, tgt.crealm, tgt.cname, tgt.authtime, who);
    return makeReply({
      kind: 'tgs',
      encPartTag: 26,
      realm: ctx.realm,
      sname: header.sname,
      pac,
      serverKey: renewedKey,
      flags: tgt.flags,
      sessionKey: session,
      crealm: tgt.crealm,
      cname: tgt.cname,
      repCname: tgt.cname,
      authtime: tgt.authtime,
      starttime: new Date(nowStart),
      endtime: seconds(endMs),
      renewTill: tgt.renewTill,
      caddr: tgt.caddr,
      authorizationData: tgt.authorizationData,
      nonce: body.nonce,
      ...reply,
    });
  }

  if (body.sname === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, { ...who, eText: 'NULL_SERVER' });
  }
  const server = body.realm === ctx.realm ? await lookup(ctx, ctx.realm, body.sname) : undefined;
  if (server === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, { ...who, eText: 'SERVER_NOT_FOUND' });
  }
  if (server.attributes.expiresAt !== undefined && server.attributes.expiresAt.getTime() <= nowMs) {
    throw new KdcFailure(ErrorCode.KDC_ERR_SERVICE_EXP, { ...who, eText: 'SERVICE EXPIRED' });
  }
  if (server.attributes.disallowServer) {
    throw new KdcFailure(ErrorCode.KDC_ERR_MUST_USE_USER2USER, { ...who, eText: 'SERVER NOT ALLOWED' });
  }
  const tgtHas = (bit: number) => option(tgt.flags, bit);
  const wants = (bit: number) => option(options, bit);
  if (
    (wants(KdcOptionBits.forwardable) || wants(KdcOptionBits.forwarded)) &&
    !tgtHas(TicketFlagBits.forwardable)
  ) {
    throw new KdcFailure(ErrorCode.KDC_ERR_BADOPTION, { ...who, eText: 'TGT NOT FORWARDABLE' });
  }
  if ((wants(KdcOptionBits.proxiable) || wants(KdcOptionBits.proxy)) && !tgtHas(TicketFlagBits.proxiable)) {
    throw new KdcFailure(ErrorCode.KDC_ERR_BADOPTION, { ...who, eText: 'TGT NOT PROXIABLE' });
  }
  const serverKeys = usableKeys(ctx, server);
  // Session key: the client's first choice the server has a key for (RFC 4120 §3.1.3, as MIT).
  const sessionEtype = body.etype.find((e) => serverKeys.has(e));
  if (sessionEtype === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_ETYPE_NOSUPP, { ...who, eText: 'BAD_ENCRYPTION_TYPE' });
  }
  const serverKey: PrincipalKey = ticketKey(ctx, server);

  const tillMs = body.till.getTime() === 0 ? Number.POSITIVE_INFINITY : body.till.getTime();
  const lifeMs = minLimit(ctx.policy.maxLifeSeconds, server.attributes.maxLifeSeconds) * 1000;
  const endMs = Math.min(tillMs, tgt.endtime.getTime(), nowStart + lifeMs);
  if (endMs <= nowStart)
    throw new KdcFailure(ErrorCode.KDC_ERR_NEVER_VALID, { ...who, eText: 'NEVER_VALID' });
  let flags = 0;
  if (tgtHas(TicketFlagBits.preAuthent)) flags |= bitOf(TicketFlagBits.preAuthent);
  if (wants(KdcOptionBits.forwardable) && ctx.policy.allowForwardable)
    flags |= bitOf(TicketFlagBits.forwardable);
  if (wants(KdcOptionBits.forwarded)) flags |= bitOf(TicketFlagBits.forwarded);
  if (tgtHas(TicketFlagBits.forwarded)) flags |= bitOf(TicketFlagBits.forwarded);
  if (wants(KdcOptionBits.proxiable) && ctx.policy.allowProxiable) flags |= bitOf(TicketFlagBits.proxiable);
  if (wants(KdcOptionBits.proxy)) flags |= bitOf(TicketFlagBits.proxy);
  let renewTill: Date | undefined;
  const renewMs = minLimit(ctx.policy.maxRenewSeconds, server.attributes.maxRenewSeconds) * 1000;
  const renewable = wants(KdcOptionBits.renewable) || (wants(KdcOptionBits.renewableOk) && tillMs > endMs);
  if (renewable && tgtHas(TicketFlagBits.renewable) && tgt.renewTill !== undefined && renewMs > 0) {
    const rtime =
      body.rtime === undefined
        ? tillMs
        : body.rtime.getTime() === 0
          ? Number.POSITIVE_INFINITY
          : body.rtime.getTime();
    const until = Math.min(Math.max(rtime, tillMs), tgt.renewTill.getTime(), nowStart + renewMs);
    if (until > endMs) {
      flags |= bitOf(TicketFlagBits.renewable);
      renewTill = seconds(until);
    }
  }
  const forwarded = wants(KdcOptionBits.forwarded) || wants(KdcOptionBits.proxy);
  const sname = option(options, KdcOptionBits.canonicalize) ? server.principal.name : body.sname;
  const withPac = ctx.policy.issuePac && !server.attributes.noAuthDataRequired && !pacDeclined(req.padata);
  const pac = withPac
    ? await ticketPac(ctx, server, serverKey, tgt.crealm, tgt.cname, tgt.authtime, who)
    : undefined;
  return makeReply({
    pac,
    kind: 'tgs',
    encPartTag: 26,
    realm: ctx.realm,
    sname,
    serverKey,
    flags,
    sessionKey: sessionKey(ctx, sessionEtype),
    crealm: tgt.crealm,
    cname: tgt.cname,
    repCname: tgt.cname,
    authtime: tgt.authtime,
    starttime: new Date(nowStart),
    endtime: seconds(endMs),
    renewTill,
    caddr: forwarded ? body.addresses : tgt.caddr,
    authorizationData: server.attributes.noAuthDataRequired ? undefined : withoutPac(tgt.authorizationData),
    nonce: body.nonce,
    ...reply,
  });
}

/** A fresh PAC for `cname`, signed for `server` (its ticket key) and by the realm's krbtgt key. */
async function ticketPac(
  ctx: KdcContext,
  server: PrincipalEntry,
  serverKey: PrincipalKey,
  crealm: string,
  cname: PrincipalName,
  authtime: Date,
  who: FailureFields,
): Promise<TicketPac> {
  const service = !isTgsName(server.principal.name, ctx.realm);
  const krbtgt = service ? await lookup(ctx, ctx.realm, tgsName(ctx.realm)) : server;
  if (krbtgt === undefined) throw new KdcFailure(ErrorCode.KRB_ERR_GENERIC, { ...who, eText: 'NO KRBTGT' });
  const client = crealm === ctx.realm ? await lookup(ctx, crealm, cname) : undefined;
  if (client === undefined) {
    throw new KdcFailure(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, { ...who, eText: 'CLIENT_NOT_FOUND' });
  }
  return {
    input: pacInput(ctx, client, cname, authtime),
    keys: { server: serverKey.key, kdc: ticketKey(ctx, krbtgt).key },
    service,
  };
}
