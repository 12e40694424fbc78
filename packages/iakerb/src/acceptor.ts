/**
 * The IAKerb acceptor: a KDC proxy for one security context (draft §3-4). It answers realm
 * discovery with its realm, forwards each proxied AS/TGS request to a KDC of the header's
 * realm (only realms on its allow-list, at most `maxMessages` per context, bounded in size
 * and time), wraps the KDC's reply (or KRB-ERROR 85/86) in a proxy token, records every
 * token for FINISHED, and finally hands the AP-REQ to the Kerberos acceptor of
 * `@postntlm/gssapi-spnego`, which checks FINISHED before it accepts.
 */
import { Oid } from '@postntlm/der-asn1';
import {
  type ContextStep,
  GssError,
  Krb5Acceptor,
  type Krb5AcceptorOptions,
  type SecurityContext,
} from '@postntlm/gssapi-spnego';
import { type Clock, systemClock } from '@postntlm/krb5-client';
import {
  encode,
  type IakerbHeader,
  KrbError,
  type Principal,
  type PrincipalName,
  parsePrincipal,
} from '@postntlm/krb5-messages';
import { DEFAULT_MAX_TOKEN_BYTES, IAKERB_OID, IakerbErrorCode, MAX_PROXY_MESSAGES } from './constants.js';
import { DIALECTS, type DialectProfile, type IakerbDialect, WINDOWS_HEADER_FLAGS } from './dialect.js';
import { IakerbError } from './errors.js';
import {
  type IakerbEventListener,
  type IakerbMessageType,
  kerberosMessageType,
  krbErrorCodeOf,
} from './events.js';
import { checkFinished, Transcript } from './finished.js';
import type { KdcTransport } from './kdc-transport.js';
import { decodeProxyToken, encodeProxyToken, peekToken } from './token.js';

export interface IakerbAcceptorOptions extends Omit<Krb5AcceptorOptions, 'mechs' | 'checkExtensions'> {
  /** This acceptor's realm: the answer to realm discovery, and where requests without a realm go. */
  readonly realm: string;
  /** How KDC requests are sent (an in-process Local KDC, or the network). */
  readonly kdc: KdcTransport;
  /** Realms requests may be proxied to; default: `realm` only. Others get KRB-ERROR 85 and nothing is sent. */
  readonly allowedRealms?: readonly string[];
  /** `auto` (default) takes the dialect from the first token: an OCTET STRING realm is `mit-legacy`, header-flags `windows`. */
  readonly dialect?: IakerbDialect | 'auto';
  /**
   * FINISHED must be present and valid when proxy tokens were exchanged: `true` (default,
   * as MIT), `except-windows` (Windows clients send none), or `false` (checked only when present).
   */
  readonly requireFinished?: boolean | 'except-windows';
  /** Proxied messages per context (default 26, as MIT). */
  readonly maxMessages?: number;
  /** Largest token accepted, and largest KDC reply forwarded (default 64 KiB). */
  readonly maxTokenBytes?: number;
  /** Each KDC exchange must end within this, ms (default 10 000). */
  readonly kdcTimeoutMs?: number;
  /** Peer address, for the KDC's audit log. */
  readonly peer?: string;
  readonly onEvent?: IakerbEventListener;
}

const ANONYMOUS: Principal = {
  realm: 'WELLKNOWN:ANONYMOUS',
  name: { nameType: 2, nameString: ['WELLKNOWN', 'ANONYMOUS'] },
};

/** Accepts one IAKerb security context. `step` each token from the initiator until `done` or `error`. */
export class IakerbAcceptor {
  private readonly options: IakerbAcceptorOptions;
  private readonly clock: Clock;
  private readonly transcript = new Transcript();
  private readonly started = performance.now();
  private readonly maxMessages: number;
  private readonly maxTokenBytes: number;
  private profile: DialectProfile | undefined;
  private proxied = 0;
  private state: 'proxy' | 'busy' | 'done' | 'failed' = 'proxy';
  private established: SecurityContext | undefined;
  private clientPrincipal: Principal | undefined;

  constructor(options: IakerbAcceptorOptions) {
    if (typeof options.realm !== 'string' || options.realm.length === 0) {
      throw new RangeError('IakerbAcceptor: realm is required');
    }
    // A bad acceptor name fails here, not in the middle of a context.
    const principal =
      typeof options.principal === 'string' ? parsePrincipal(options.principal) : options.principal;
    if (principal !== undefined && principal.realm === '') {
      throw new RangeError(`IakerbAcceptor: principal ${String(options.principal)} needs a realm`);
    }
    this.options = principal === undefined ? options : { ...options, principal };
    this.clock = options.clock ?? systemClock;
    this.maxMessages = options.maxMessages ?? MAX_PROXY_MESSAGES;
    this.maxTokenBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
    if (options.dialect !== undefined && options.dialect !== 'auto') this.profile = DIALECTS[options.dialect];
  }

  /** The established context, once `step` returned `done`. */
  get context(): SecurityContext | undefined {
    return this.established;
  }

  /** The dialect in use (known after the first token). */
  get dialect(): IakerbDialect | undefined {
    return this.profile?.name;
  }

  /** Proxy tokens exchanged so far (both directions). */
  get proxyTokens(): number {
    return this.transcript.count;
  }

  /** Processes one initiator token. Never rejects: failures come back as `error`. */
  async step(input: Uint8Array): Promise<ContextStep> {
    if (this.state !== 'proxy') {
      return { done: false, error: new IakerbError('state', `acceptor is ${this.state}`) };
    }
    this.state = 'busy';
    try {
      const result = await this.dispatch(input);
      this.state = result.done ? 'done' : result.error === undefined ? 'proxy' : 'failed';
      return result;
    } catch (e) {
      this.state = 'failed';
      if (e instanceof GssError) return { done: false, error: e };
      throw e;
    }
  }

  private async dispatch(input: Uint8Array): Promise<ContextStep> {
    if (!(input instanceof Uint8Array) || input.length === 0) {
      throw new IakerbError('malformed-token', 'empty IAKerb token');
    }
    if (input.length > this.maxTokenBytes) {
      throw new IakerbError(
        'malformed-token',
        `token of ${input.length} bytes exceeds the limit of ${this.maxTokenBytes}`,
      );
    }
    const { kind } = peekToken(input);
    if (kind === 'ap-req') return this.accept(input);
    if (kind !== 'proxy')
      throw new IakerbError('malformed-token', 'expected an IAKerb proxy token or an AP-REQ');
    return this.proxy(input);
  }

  private async proxy(input: Uint8Array): Promise<ContextStep> {
    const first = this.transcript.count === 0;
    const token = decodeProxyToken(input, this.maxTokenBytes);
    const profile = this.profileFor(token.header, first);
    if (profile.frameEveryToken && !token.framed) {
      throw new IakerbError(
        'malformed-token',
        `${profile.name} dialect: every token must carry the GSS framing`,
      );
    }
    if (first && !token.framed)
      throw new IakerbError('malformed-token', 'the first IAKerb token must carry the GSS framing');
    this.proxied += 1;
    if (this.proxied > this.maxMessages) {
      throw new IakerbError(
        'too-many-messages',
        `more than ${this.maxMessages} proxied messages in one context`,
      );
    }
    this.transcript.add(input);
    const requested = token.header.targetRealm;
    this.emit('in', kerberosMessageType(token.message), input.length, requested);

    if (token.message.length === 0) {
      if (requested !== '') {
        throw new IakerbError('malformed-token', 'a proxy token with a realm but no Kerberos message');
      }
      // Realm discovery (draft §3.1): our realm, no message.
      return this.reply(profile, this.options.realm, new Uint8Array(0));
    }
    const messageType = kerberosMessageType(token.message);
    if (messageType !== 'as-req' && messageType !== 'tgs-req') {
      throw new IakerbError(
        'unexpected-token',
        `the proxy forwards AS-REQs and TGS-REQs, not ${messageType}`,
      );
    }
    // Windows initiators may leave the realm empty: the request is for our own realm.
    const realm = requested === '' || requested === '.' ? this.options.realm : requested;
    const allowed = this.options.allowedRealms ?? [this.options.realm];
    if (!allowed.includes(realm)) {
      return this.reply(
        profile,
        requested,
        this.krbError(IakerbErrorCode.KDC_NOT_FOUND, realm, `realm ${realm} is not served by this proxy`),
      );
    }
    let kdcReply: Uint8Array;
    this.emit('kdc-out', messageType, token.message.length, realm);
    try {
      kdcReply = await this.options.kdc.send(realm, token.message, {
        timeoutMs: this.options.kdcTimeoutMs ?? 10_000,
      });
    } catch (e) {
      const code =
        e instanceof IakerbError && e.code === 'kdc-not-found'
          ? IakerbErrorCode.KDC_NOT_FOUND
          : IakerbErrorCode.KDC_NO_RESPONSE;
      return this.reply(
        profile,
        requested,
        this.krbError(code, realm, e instanceof Error ? e.message : undefined),
      );
    }
    const replyType = kdcReply instanceof Uint8Array ? kerberosMessageType(kdcReply) : 'other';
    this.emit('kdc-in', replyType, kdcReply instanceof Uint8Array ? kdcReply.length : 0, realm);
    // Only a KDC reply goes back: an empty one would look like a realm-discovery answer.
    const expected = messageType === 'as-req' ? 'as-rep' : 'tgs-rep';
    if (replyType !== expected && replyType !== 'krb-error') {
      return this.reply(
        profile,
        requested,
        this.krbError(IakerbErrorCode.KDC_NO_RESPONSE, realm, 'not a KDC reply'),
      );
    }
    if (kdcReply.length > this.maxTokenBytes) {
      return this.reply(
        profile,
        requested,
        this.krbError(IakerbErrorCode.KDC_NO_RESPONSE, realm, 'KDC reply too large'),
      );
    }
    return this.reply(profile, requested, kdcReply);
  }

  private reply(profile: DialectProfile, realm: string, message: Uint8Array): ContextStep {
    const header: IakerbHeader =
      profile.name === 'windows'
        ? { targetRealm: '.', realmEncoding: 'utf8', headerFlags: WINDOWS_HEADER_FLAGS }
        : { targetRealm: realm, realmEncoding: profile.realmEncoding };
    const outputToken = encodeProxyToken(header, message, profile.frameEveryToken);
    this.transcript.add(outputToken);
    this.emit('out', kerberosMessageType(message), outputToken.length, header.targetRealm, message);
    return { outputToken, done: false };
  }

  private accept(input: Uint8Array): ContextStep {
    // An AP-REQ under the krb5 OID after draft-looking proxy tokens is a Windows client
    // (sspi-rs sends no header-flags); an explicitly configured dialect stays as it is.
    const mech = peekToken(input).mech;
    const windowsAp = mech === Oid.krb5 || mech === Oid.msKrb5;
    if ((this.options.dialect ?? 'auto') === 'auto' && windowsAp && this.profile?.name !== 'mit-legacy') {
      this.profile = DIALECTS.windows;
    }
    const profile = this.profile ?? DIALECTS.draft;
    const requireOption = this.options.requireFinished ?? true;
    const required = requireOption === 'except-windows' ? profile.name !== 'windows' : requireOption;
    const krb5 = new Krb5Acceptor({
      ...this.options,
      mechs: [IAKERB_OID, Oid.krb5, Oid.msKrb5],
      checkExtensions: (checksum, subkey) =>
        checkFinished(checksum, subkey, this.transcript, profile, required),
    });
    this.emit('in', 'ap-req', input.length);
    const step = krb5.step(input);
    if (step.outputToken !== undefined)
      this.emit('out', step.done ? 'ap-rep' : 'krb-error', step.outputToken.length);
    if (step.done) {
      this.established = step.context;
      this.clientPrincipal = step.context?.client;
    }
    return step;
  }

  /** The initiator's principal, once established. */
  get client(): Principal | undefined {
    return this.clientPrincipal;
  }

  private profileFor(header: IakerbHeader, first: boolean): DialectProfile {
    if (this.profile !== undefined) {
      if (header.realmEncoding === 'octet-string' && this.profile.realmEncoding !== 'octet-string') {
        throw new IakerbError(
          'malformed-token',
          `${this.profile.name} dialect: target-realm must be a UTF8String`,
        );
      }
      return this.profile;
    }
    if (!first) throw new IakerbError('state', 'dialect unknown after the first token');
    const name: IakerbDialect =
      header.realmEncoding === 'octet-string'
        ? 'mit-legacy'
        : header.headerFlags !== undefined
          ? 'windows'
          : 'draft';
    this.profile = DIALECTS[name];
    return this.profile;
  }

  private krbError(code: number, realm: string, eText?: string): Uint8Array {
    const now = this.clock.now();
    const server = this.serverName();
    return encode(KrbError, {
      pvno: 5,
      msgType: 30,
      stime: new Date(Math.floor(now / 1000) * 1000),
      susec: (now % 1000) * 1000,
      errorCode: code,
      realm: server.realm === ANONYMOUS.realm ? realm || server.realm : server.realm,
      sname: server.name,
      ...(eText === undefined ? {} : { eText: eText.slice(0, 200) }),
    });
  }

  /** MIT fills KRB-ERROR 85/86 with the acceptor's own name, else WELLKNOWN/ANONYMOUS. */
  private serverName(): { realm: string; name: PrincipalName } {
    const p = this.options.principal;
    if (p !== undefined) return typeof p === 'string' ? parsePrincipal(p) : p;
    return ANONYMOUS;
  }

  private emit(
    direction: 'in' | 'out' | 'kdc-in' | 'kdc-out',
    type: IakerbMessageType,
    bytes: number,
    realm?: string,
    message?: Uint8Array,
  ): void {
    const listener = this.options.onEvent;
    if (listener === undefined) return;
    const errorCode = type === 'krb-error' && message !== undefined ? krbErrorCodeOf(message) : undefined;
    listener({
      direction,
      type,
      bytes,
      atMs: performance.now() - this.started,
      ...(realm === undefined ? {} : { realm }),
      ...(errorCode === undefined ? {} : { errorCode }),
    });
  }
}
