/**
 * The acceptor side of the Kerberos GSS mechanism (RFC 4121 §4.1, RFC 4120 §3.2.3): takes
 * the initiator's AP-REQ token, checks it against a keytab, and answers with an AP-REP
 * (with an acceptor subkey) when mutual authentication was asked, or a KRB-ERROR token.
 * Sans-IO: bytes and an injected clock and random source in, tokens out.
 */
import { Oid } from '@postntlm/der-asn1';
import { type Clock, cryptoRandom, type Random, systemClock } from '@postntlm/krb5-client';
import { decrypt, encrypt, getEnctype, type Key, KeyUsage, randomToKey } from '@postntlm/krb5-crypto';
import {
  ApRep,
  ApReq,
  Authenticator,
  apOptionNames,
  EncApRepPart,
  EncTicketPart,
  ErrorCode,
  encode,
  findKey,
  type KeytabEntry,
  type Principal,
  parsePrincipal,
  principalEquals,
} from '@postntlm/krb5-messages';
import { GssError, GssKerberosError, GssStateError } from '../errors.js';
import {
  type ChannelBindings,
  channelBindingHash,
  decodeGssChecksum,
  GSS_CHECKSUM_TYPE,
  type GssChecksum,
  GssFlags,
} from './checksum.js';
import { type ContextStep, decodeKrb, keyOf, krbErrorToken, msOf, principalText } from './common.js';
import { decodeKrb5ContextToken, encodeKrb5ContextToken, KRB5_MECHS, TokenId } from './context-token.js';
import { decodeDelegation } from './delegation.js';
import { MemoryReplayCache, type ReplayCache } from './replay-cache.js';
import { SecurityContext } from './security-context.js';

/** Default maximum clock skew (RFC 4120 §1.6 suggests 5 minutes; MIT's clockskew). */
export const DEFAULT_MAX_SKEW_MS = 300_000;

export interface Krb5AcceptorOptions {
  /** The service keys (from `readKeytab`). */
  readonly keytab: readonly KeytabEntry[];
  /** Accept only tickets for this principal (`host/localhost@MIT.TEST`); default: any principal in the keytab. */
  readonly principal?: Principal | string;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Maximum clock skew in ms; default 300 000. */
  readonly maxSkewMs?: number;
  /** Default: one process-wide `MemoryReplayCache` (per `maxSkewMs`); pass a shared store for several processes. */
  readonly replayCache?: ReplayCache;
  /** When set, the initiator's Bnd must be their hash. When unset, any Bnd is accepted (as MIT does). */
  readonly channelBindings?: ChannelBindings;
  /** Mechanisms whose AP-REQ framing is accepted; default krb5, MS krb5, IAKerb. */
  readonly mechs?: readonly string[];
  /**
   * Checks the 0x8003 checksum's extensions once the authenticator is authenticated and
   * before the replay cache records it; throw a `GssError` to refuse the AP-REQ (IAKerb
   * verifies its FINISHED here with the initiator's subkey).
   */
  readonly checkExtensions?: (checksum: GssChecksum, initiatorSubkey: Key | undefined) => void;
}

/** Process-wide default replay caches, one per skew window (ids name the service, so services can share one). */
const defaultCaches = new Map<number, MemoryReplayCache>();

/** Accepts one security context (one AP-REQ). Create one per connection. */
export class Krb5Acceptor {
  private readonly options: Krb5AcceptorOptions;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly maxSkewMs: number;
  private readonly replayCache: ReplayCache;
  private readonly principal: Principal | undefined;
  private state: 'start' | 'done' | 'failed' = 'start';
  private established: SecurityContext | undefined;

  constructor(options: Krb5AcceptorOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? cryptoRandom;
    this.maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    let cache = options.replayCache ?? defaultCaches.get(this.maxSkewMs);
    if (cache === undefined) {
      const memory = new MemoryReplayCache({ windowMs: 2 * this.maxSkewMs });
      defaultCaches.set(this.maxSkewMs, memory);
      cache = memory;
    }
    this.replayCache = cache;
    this.principal =
      typeof options.principal === 'string' ? parsePrincipal(options.principal) : options.principal;
  }

  /** The context, once `step` returned `done`. */
  get context(): SecurityContext | undefined {
    return this.established;
  }

  /** Processes the AP-REQ token; answers with an AP-REP, nothing, or a KRB-ERROR token. */
  step(inputToken: Uint8Array): ContextStep {
    if (this.state !== 'start')
      return { done: false, error: new GssStateError(`acceptor already ${this.state}`) };
    let mech: string = Oid.krb5;
    let server: Principal | undefined;
    const now = this.clock.now();
    try {
      const token = decodeKrb5ContextToken(inputToken, this.options.mechs ?? KRB5_MECHS);
      mech = token.mech;
      if (token.tokenId !== TokenId.AP_REQ)
        throw new GssKerberosError(
          ErrorCode.KRB_AP_ERR_MSG_TYPE,
          `expected an AP-REQ token, got 0x${token.tokenId.toString(16)}`,
        );
      const apReq = decodeKrb(ApReq, token.message, 'AP-REQ');
      const ticket = apReq.ticket.value;
      server = { realm: ticket.realm, name: ticket.sname };
      const result = this.accept(mech, apReq, server, now);
      this.state = 'done';
      this.established = result.context;
      return result;
    } catch (error) {
      this.state = 'failed';
      if (!(error instanceof GssError)) throw error;
      const outputToken =
        error instanceof GssKerberosError && server !== undefined
          ? krbErrorToken(mech, now, error.code, server)
          : undefined;
      return { outputToken, done: false, error };
    }
  }

  private serviceKey(server: Principal, kvno: number | undefined, enctype: number): Key {
    if (this.principal !== undefined && !principalEquals(this.principal, server))
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_NOT_US,
        `ticket for ${principalText(server)}, this acceptor is ${principalText(this.principal)}`,
      );
    const keytab = this.options.keytab;
    if (findKey(keytab, server) === undefined)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_NOT_US,
        `no key for ${principalText(server)} in the keytab`,
      );
    if (kvno !== undefined && findKey(keytab, server, { kvno }) === undefined)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_BADKEYVER,
        `no key version ${kvno} for ${principalText(server)}`,
      );
    const entry = findKey(keytab, server, kvno === undefined ? { enctype } : { kvno, enctype });
    if (entry === undefined)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_NOKEY,
        `no enctype ${enctype} key for ${principalText(server)}`,
      );
    return { enctype: entry.key.enctype, bytes: entry.key.bytes };
  }

  private accept(mech: string, apReq: ApReq, server: Principal, now: number): ContextStep {
    const skew = this.maxSkewMs;
    const ticket = apReq.ticket.value;
    if (apOptionNames(apReq.apOptions).includes('useSessionKey'))
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_METHOD,
        'user-to-user (use-session-key) is not supported',
      );
    const serviceKey = this.serviceKey(server, ticket.encPart.kvno, ticket.encPart.etype);

    // Ticket (key usage 2) and its times.
    const encTicket = decodeKrb(
      EncTicketPart,
      this.decryptOr(serviceKey, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher, 'ticket'),
      'EncTicketPart',
    );
    const start = (encTicket.starttime ?? encTicket.authtime).getTime();
    if (start - skew > now)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_TKT_NYV,
        `ticket valid from ${new Date(start).toISOString()}`,
      );
    if (encTicket.endtime.getTime() + skew < now)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
        `ticket expired at ${encTicket.endtime.toISOString()}`,
      );
    const sessionKey = keyOf(encTicket.key);

    // Authenticator (key usage 11).
    if (apReq.authenticator.etype !== sessionKey.enctype)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
        'authenticator enctype differs from the session key',
      );
    const auth = decodeKrb(
      Authenticator,
      this.decryptOr(sessionKey, KeyUsage.AP_REQ_AUTH, apReq.authenticator.cipher, 'authenticator'),
      'Authenticator',
    );
    const client: Principal = { realm: encTicket.crealm, name: encTicket.cname };
    if (!principalEquals({ realm: auth.crealm, name: auth.cname }, client))
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_BADMATCH,
        `authenticator names ${principalText({ realm: auth.crealm, name: auth.cname })}, ticket ${principalText(client)}`,
      );
    const ctimeMs = msOf(auth.ctime, auth.cusec);
    if (Math.abs(ctimeMs - now) > skew)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_SKEW,
        `authenticator time ${new Date(ctimeMs).toISOString()} is ${Math.round((ctimeMs - now) / 1000)} s from ours`,
      );

    // GSS checksum 0x8003 (RFC 4121 §4.1.1).
    // No checksum at all: some SMB clients (impacket among them) send none, and MS-KILE and MIT
    // accept that as "no flags". Channel bindings cannot be proved then, so an acceptor
    // configured with bindings still refuses it.
    if (auth.cksum === undefined && this.options.channelBindings !== undefined)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_INAPP_CKSUM,
        'authenticator has no GSS checksum, so it cannot carry the required channel bindings',
      );
    if (auth.cksum !== undefined && auth.cksum.cksumtype !== GSS_CHECKSUM_TYPE)
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_INAPP_CKSUM,
        `authenticator checksum type ${auth.cksum.cksumtype} is not the GSS checksum (0x8003)`,
      );
    const gss: GssChecksum =
      auth.cksum === undefined
        ? { bindings: new Uint8Array(16), flags: 0, extensions: [] }
        : decodeGssChecksum(auth.cksum.checksum);
    if (this.options.channelBindings !== undefined) {
      const expected = channelBindingHash(this.options.channelBindings);
      if (!equalBytes(expected, gss.bindings))
        throw new GssKerberosError(
          ErrorCode.KRB_AP_ERR_BADMATCH,
          'channel bindings do not match (GSS_S_BAD_BINDINGS)',
        );
    }

    const initiatorSubkey = auth.subkey === undefined ? undefined : keyOf(auth.subkey);
    const delegated =
      gss.delegation === undefined
        ? undefined
        : decodeDelegation(gss.delegation, [initiatorSubkey, sessionKey]);

    this.options.checkExtensions?.(gss, initiatorSubkey);

    // Replay cache, only after everything authenticated.
    const cipher = apReq.authenticator.cipher;
    const tag = Array.from(cipher.subarray(Math.max(0, cipher.length - 16)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    const id = `${principalText(client)}|${principalText(server)}|${ctimeMs}|${auth.cusec}|${tag}`;
    if (!this.replayCache.insert(id, ctimeMs, now))
      throw new GssKerberosError(
        ErrorCode.KRB_AP_ERR_REPEAT,
        `authenticator of ${principalText(client)} seen before`,
      );

    const initiatorSeq = auth.seqNumber ?? 0;
    const mutualRequired = apOptionNames(apReq.apOptions).includes('mutualRequired');
    const mutual = mutualRequired || (gss.flags & GssFlags.mutual) !== 0;
    let flags = gss.flags | GssFlags.integ | GssFlags.conf | GssFlags.trans;
    if (mutualRequired) flags |= GssFlags.mutual;

    let outputToken: Uint8Array | undefined;
    let acceptorSubkey: Key | undefined;
    let acceptorSeq = initiatorSeq;
    if (mutual) {
      const enctype = (initiatorSubkey ?? sessionKey).enctype;
      acceptorSubkey = randomToKey(enctype, this.random.bytes(getEnctype(enctype).seedLength));
      acceptorSeq = randomSeq(this.random);
      const encPart = encode(EncApRepPart, {
        ctime: auth.ctime,
        cusec: auth.cusec,
        subkey: { keytype: acceptorSubkey.enctype, keyvalue: acceptorSubkey.bytes },
        seqNumber: acceptorSeq,
      });
      const apRep = encode(ApRep, {
        pvno: 5,
        msgType: 15,
        encPart: { etype: sessionKey.enctype, cipher: encrypt(sessionKey, KeyUsage.AP_REP_ENCPART, encPart) },
      });
      outputToken = encodeKrb5ContextToken(TokenId.AP_REP, apRep, mech);
    }
    const context = new SecurityContext({
      isInitiator: false,
      mech,
      ticketSessionKey: sessionKey,
      initiatorSubkey,
      acceptorSubkey,
      flags: flags >>> 0,
      client,
      server,
      initiatorSeq,
      acceptorSeq,
      endtime: encTicket.endtime,
      delegation: gss.delegation === undefined ? undefined : gss.delegation.slice(),
      gssChecksum: gss,
      delegatedCredentials: delegated,
    });
    return { outputToken, done: true, context };
  }

  private decryptOr(key: Key, usage: number, cipher: Uint8Array, what: string): Uint8Array {
    try {
      return decrypt(key, usage, cipher);
    } catch (error) {
      throw new GssKerberosError(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, `${what} does not decrypt`, {
        cause: error,
      });
    }
  }
}

/** A random initial sequence number below 2^30 (as MIT's krb5_generate_seq_number). */
export function randomSeq(random: Random): number {
  const b = random.bytes(4);
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) & 0x3fffffff;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
