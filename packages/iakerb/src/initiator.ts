/**
 * The IAKerb initiator (draft §3-4): a client with no way to a KDC gets its tickets through
 * the acceptor. States REALM_DISCOVERY → AS → TGS → AP: `@postntlm/krb5-client`'s sans-IO
 * AS and TGS exchanges run unchanged (pre-authentication round trips, referrals), each
 * request wrapped in a proxy token for the acceptor and each reply unwrapped; only
 * KRB-ERROR 85/86 from the proxy end the context early. The AP-REQ carries FINISHED, the
 * checksum over every proxy token exchanged, keyed by the authenticator subkey.
 */
import {
  type ContextStep,
  GssError,
  Krb5Initiator,
  type Krb5InitiatorOptions,
  type SecurityContext,
} from '@postntlm/gssapi-spnego';
import {
  type AsCredentials,
  type AsRequestOptions,
  type Clock,
  type Credential,
  createAsExchange,
  createTgsExchange,
  type ExchangeStep,
  type KdcExchange,
  type Random,
  type TgsRequestOptions,
} from '@postntlm/krb5-client';
import { type IakerbHeader, type Principal, parsePrincipal } from '@postntlm/krb5-messages';
import { DEFAULT_MAX_TOKEN_BYTES, IakerbErrorCode } from './constants.js';
import { DIALECTS, type DialectProfile, type IakerbDialect } from './dialect.js';
import { IakerbError } from './errors.js';
import {
  type IakerbEventListener,
  type IakerbMessageType,
  kerberosMessageType,
  krbErrorCodeOf,
} from './events.js';
import { finishedExtension, Transcript } from './finished.js';
import { decodeProxyToken, encodeProxyToken, peekToken } from './token.js';

export interface IakerbInitiatorOptions {
  /**
   * The client: `alice@REALM`, or `alice` without a realm to learn it by realm discovery
   * (draft dialect) or to use `realm`.
   */
  readonly client: string | Principal;
  /** Password, keytab or keys for the AS exchange (not needed with `tgt` or `serviceTicket`). */
  readonly credentials?: AsCredentials;
  /** The service: `cifs/files.example` or `host/localhost` (its realm defaults to the client's). */
  readonly server: string | Principal;
  /** Default `draft`. */
  readonly dialect?: IakerbDialect;
  /** The realm when the client name has none and the dialect has no discovery (Windows: the server's realm). */
  readonly realm?: string;
  /** A TGT already held: the exchange starts at TGS. */
  readonly tgt?: Credential;
  /** A service ticket already held: no proxy tokens, just the AP exchange (no FINISHED then). */
  readonly serviceTicket?: Credential;
  readonly asOptions?: AsRequestOptions;
  readonly tgsOptions?: TgsRequestOptions;
  /** Context flags and channel bindings for the AP-REQ (see `Krb5InitiatorOptions`). */
  readonly flags?: number;
  readonly channelBindings?: Krb5InitiatorOptions['channelBindings'];
  readonly maxTokenBytes?: number;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly onEvent?: IakerbEventListener;
}

type Phase = 'start' | 'discovery' | 'kdc' | 'ap' | 'done' | 'failed' | 'busy';

/** Establishes one IAKerb context as the initiator. */
export class IakerbInitiator {
  private readonly options: IakerbInitiatorOptions;
  private readonly profile: DialectProfile;
  private readonly transcript = new Transcript();
  private readonly started = performance.now();
  private phase: Phase = 'start';
  private exchange: KdcExchange | undefined;
  private exchangeKind: 'as' | 'tgs' = 'as';
  private cookie: Uint8Array | undefined;
  private realm: string | undefined;
  private krb5: Krb5Initiator | undefined;
  private tgtCredential: Credential | undefined;
  private ticketCredential: Credential | undefined;
  private established: SecurityContext | undefined;

  constructor(options: IakerbInitiatorOptions) {
    this.options = options;
    this.profile = DIALECTS[options.dialect ?? 'draft'];
    this.tgtCredential = options.tgt;
    this.ticketCredential = options.serviceTicket;
  }

  get context(): SecurityContext | undefined {
    return this.established;
  }

  /** The TGT obtained (or given), worth saving in a credential cache. */
  get tgt(): Credential | undefined {
    return this.tgtCredential;
  }

  /** The service ticket obtained (or given). */
  get serviceTicket(): Credential | undefined {
    return this.ticketCredential;
  }

  /** The realm in use (learnt by discovery when the client name had none). */
  get clientRealm(): string | undefined {
    return this.realm;
  }

  /** First call without a token; then with each acceptor token until `done` or `error`. Never rejects. */
  async step(input?: Uint8Array): Promise<ContextStep> {
    const phase = this.phase;
    if (phase === 'done' || phase === 'failed' || phase === 'busy') {
      return { done: false, error: new IakerbError('state', `initiator is ${phase}`) };
    }
    this.phase = 'busy';
    try {
      const result = await this.run(phase, input);
      if (result.error !== undefined) this.phase = 'failed';
      else if (this.phase === 'busy') this.phase = phase;
      return result;
    } catch (e) {
      this.phase = 'failed';
      if (e instanceof GssError) return { done: false, error: e };
      return {
        done: false,
        error: new IakerbError('kerberos', e instanceof Error ? e.message : String(e), { cause: e }),
      };
    }
  }

  private async run(phase: Phase, input: Uint8Array | undefined): Promise<ContextStep> {
    if (phase === 'start') {
      if (input !== undefined && input.length > 0)
        throw new IakerbError('state', 'the first step takes no token');
      return this.begin();
    }
    if (input === undefined) throw new IakerbError('state', 'the acceptor token is required');
    if (phase === 'ap') return this.apReply(input);
    const token = this.receiveProxy(input);
    if (phase === 'discovery') {
      if (token.message.length !== 0) {
        this.failOnProxyError(token.message);
        throw new IakerbError('unexpected-token', 'realm discovery answered with a Kerberos message');
      }
      if (token.header.targetRealm === '')
        throw new IakerbError('unexpected-token', 'realm discovery answered with an empty realm');
      this.realm = token.header.targetRealm;
      return this.startKdc();
    }
    this.failOnProxyError(token.message);
    const exchange = this.exchange as KdcExchange;
    return this.afterKdcStep(await exchange.receive(token.message));
  }

  private begin(): ContextStep | Promise<ContextStep> {
    const client = this.clientPrincipal();
    this.realm = client?.realm || this.options.realm || undefined;
    if (this.ticketCredential !== undefined) return this.apRequest();
    if (this.realm === undefined) {
      if (!this.profile.discovery) {
        throw new IakerbError(
          'state',
          `the ${this.profile.name} dialect has no realm discovery: give the client's realm`,
        );
      }
      this.phase = 'discovery';
      return this.send('', new Uint8Array(0));
    }
    return this.startKdc();
  }

  private clientPrincipal(): Principal | undefined {
    const c = this.options.client;
    if (typeof c !== 'string') return c;
    // A name without a realm stays without one (MIT: no default realm appended for IAKerb).
    const at = c.lastIndexOf('@');
    if (at < 0 || (at > 0 && c[at - 1] === '\\')) return undefined;
    return parsePrincipal(c);
  }

  private startKdc(): ContextStep {
    const realm = this.realm as string;
    if (this.tgtCredential !== undefined) return this.startTgs(this.tgtCredential);
    if (this.options.credentials === undefined) {
      throw new IakerbError('state', 'credentials (password, keytab or key) are needed for the AS exchange');
    }
    const client =
      typeof this.options.client === 'string'
        ? this.options.client.replace(/@[^@]*$/, '')
        : this.options.client;
    this.exchangeKind = 'as';
    this.exchange = createAsExchange({
      client: typeof client === 'string' ? `${client}@${realm}` : client,
      credentials: this.options.credentials,
      ...(this.options.asOptions === undefined ? {} : { options: this.options.asOptions }),
      ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    });
    this.phase = 'kdc';
    return this.afterKdcStep(this.exchange.start());
  }

  private startTgs(tgt: Credential): ContextStep {
    const server =
      typeof this.options.server === 'string' && !this.options.server.includes('@')
        ? `${this.options.server}@${tgt.client.realm}`
        : this.options.server;
    this.exchangeKind = 'tgs';
    this.exchange = createTgsExchange({
      tgt,
      server,
      ...(this.options.tgsOptions === undefined ? {} : { options: this.options.tgsOptions }),
      ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    });
    this.phase = 'kdc';
    return this.afterKdcStep(this.exchange.start());
  }

  private afterKdcStep(step: ExchangeStep): ContextStep {
    if (step.kind === 'send') return this.send(step.realm, step.bytes);
    if (step.kind === 'error') throw new IakerbError('kerberos', step.error.message, { cause: step.error });
    return this.gotCredential(step.credential);
  }

  private gotCredential(credential: Credential): ContextStep {
    if (this.exchangeKind === 'as') {
      this.tgtCredential = credential;
      return this.startTgs(credential);
    }
    this.ticketCredential = credential;
    return this.apRequest();
  }

  private apRequest(): ContextStep {
    const credential = this.ticketCredential as Credential;
    const proxied = this.transcript.count > 0;
    const transcript = proxied ? this.transcript.bytes() : undefined;
    this.krb5 = new Krb5Initiator({
      credential,
      mech: this.profile.apMech,
      ...(this.options.flags === undefined ? {} : { flags: this.options.flags }),
      ...(this.options.channelBindings === undefined
        ? {}
        : { channelBindings: this.options.channelBindings }),
      ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
      extensions: (subkey) =>
        transcript === undefined ? [] : [finishedExtension(subkey, transcript, this.profile)],
    });
    const step = this.krb5.step();
    if (step.error !== undefined) return step;
    this.emit('out', 'ap-req', step.outputToken?.length ?? 0);
    if (step.done) return this.finish(step);
    this.phase = 'ap';
    return step;
  }

  private apReply(input: Uint8Array): ContextStep {
    const { kind } = peekToken(input);
    this.emit(
      'in',
      kind === 'ap-rep' ? 'ap-rep' : kind === 'krb-error' ? 'krb-error' : 'other',
      input.length,
    );
    const step = (this.krb5 as Krb5Initiator).step(input);
    if (step.done) return this.finish(step);
    return step;
  }

  private finish(step: ContextStep): ContextStep {
    this.established = step.context;
    this.phase = 'done';
    return step;
  }

  /** Wraps a KDC request (or the discovery query) in a proxy token. */
  private send(realm: string, message: Uint8Array): ContextStep {
    const framed = this.profile.frameEveryToken || this.transcript.count === 0;
    const header: IakerbHeader = {
      // Windows initiators leave the realm out of the header (the acceptor serves its own);
      // the AS-REQ inside still names it.
      targetRealm: this.profile.name === 'windows' ? '' : realm,
      realmEncoding: this.profile.realmEncoding,
      ...(this.cookie === undefined ? {} : { cookie: this.cookie }),
      // Windows-style initiators (scapy, as tested against Windows) send 32 zero bits.
      ...(this.profile.name === 'windows'
        ? { headerFlags: { bytes: new Uint8Array(4), unusedBits: 0 } }
        : {}),
    };
    const outputToken = encodeProxyToken(header, message, framed);
    this.transcript.add(outputToken);
    this.emit('out', kerberosMessageType(message), outputToken.length, realm);
    return { outputToken, done: false };
  }

  private receiveProxy(input: Uint8Array) {
    const token = decodeProxyToken(input, this.options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES);
    if (this.profile.frameEveryToken && !token.framed) {
      throw new IakerbError(
        'malformed-token',
        `${this.profile.name} dialect: the acceptor's token lacks the GSS framing`,
      );
    }
    this.transcript.add(input);
    // The acceptor's cookie goes back verbatim in our next token (draft §3).
    this.cookie = token.header.cookie;
    const type = kerberosMessageType(token.message);
    const errorCode = type === 'krb-error' ? krbErrorCodeOf(token.message) : undefined;
    this.emit('in', type, input.length, token.header.targetRealm, errorCode);
    return token;
  }

  /** KRB-ERROR 85/86 come from the proxy and end the context; every other KRB-ERROR is the KDC's. */
  private failOnProxyError(message: Uint8Array): void {
    if (kerberosMessageType(message) !== 'krb-error') return;
    const code = krbErrorCodeOf(message);
    if (code === IakerbErrorCode.KDC_NOT_FOUND) {
      throw new IakerbError('kdc-not-found', 'the IAKerb proxy found no KDC for the realm (KRB-ERROR 85)');
    }
    if (code === IakerbErrorCode.KDC_NO_RESPONSE) {
      throw new IakerbError('kdc-no-response', 'the KDC did not answer the IAKerb proxy (KRB-ERROR 86)');
    }
  }

  private emit(
    direction: 'in' | 'out',
    type: IakerbMessageType,
    bytes: number,
    realm?: string,
    errorCode?: number,
  ): void {
    this.options.onEvent?.({
      direction,
      type,
      bytes,
      atMs: performance.now() - this.started,
      ...(realm === undefined ? {} : { realm }),
      ...(errorCode === undefined ? {} : { errorCode }),
    });
  }
}
