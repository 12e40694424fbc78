/**
 * The sans-IO KDC engine: `handle(request bytes, { transport, peer }) -> reply bytes | null`.
 * Dispatches AS-REQ (RFC 4120 §3.1.2) and TGS-REQ (§3.3.2); everything else gets a
 * KRB-ERROR or is dropped. `handle` never throws: malformed input, refusals and storage
 * failures all end as a KRB-ERROR (or `null`).
 */

import { DecodeError } from '@postntlm/der-asn1';
import { type Clock, cryptoRandom, type Random, systemClock } from '@postntlm/krb5-client';
import {
  AsReq,
  decode,
  ErrorCode,
  type KdcReq,
  type PrincipalName,
  peekMessageType,
  TgsReq,
} from '@postntlm/krb5-messages';
import { formatSid, generateDomainSid } from '../pac/sid.js';
import type { PrincipalStore } from '../store/principal-store.js';
import { handleAs } from './as.js';
import { type AuditInput, type AuditSink, auditEvent } from './audit.js';
import type { KdcContext } from './context.js';
import { KdcFailure } from './failure.js';
import { makeError } from './issue.js';
import { DEFAULT_POLICY, type KdcPolicy } from './policy.js';
import { pooledRandom } from './random.js';
import { generateRealm } from './realm.js';
import { handleTgs } from './tgs.js';

/** How a request reached the KDC (for size limits and the audit log). */
export type KdcTransport = 'udp' | 'tcp' | 'unix' | 'memory' | 'iakerb';

export interface RequestInfo {
  readonly transport: KdcTransport;
  /** The peer's address, e.g. `127.0.0.1:53211` or a socket path. */
  readonly peer?: string | undefined;
}

export interface KdcOptions {
  /** The realm (default: `LOCALKDC.<UUID>` upper case, generated). */
  readonly realm?: string;
  readonly store: PrincipalStore;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly policy?: Partial<KdcPolicy>;
  /** Called with unexpected failures (a storage error, a bug) that became KRB_ERR_GENERIC, and with audit sink failures. */
  readonly onInternalError?: (error: unknown) => void;
  /** Receives one audit event per request (MIT's audit field names). Its failures never affect replies. */
  readonly audit?: AuditSink;
  /** The realm's domain SID for PACs (default: the store's, else a random one). */
  readonly domainSid?: string;
}

export interface Kdc {
  readonly realm: string;
  readonly policy: KdcPolicy;
  /** Answers one request: the reply bytes, or `null` to drop it (oversized, not Kerberos, a KRB-ERROR). Never rejects. */
  handle(request: Uint8Array, info: RequestInfo): Promise<Uint8Array | null>;
}

/** Creates a KDC engine over `store`. The store must hold `krbtgt/REALM@REALM`. */
export function createKdc(options: KdcOptions): Kdc {
  const random = options.random ?? pooledRandom(cryptoRandom);
  const ctx: KdcContext = {
    realm: options.realm ?? generateRealm(random),
    domainSid:
      options.domainSid ?? options.store.domainSid ?? formatSid(generateDomainSid((n) => random.bytes(n))),
    store: options.store,
    clock: options.clock ?? systemClock,
    random,
    policy: { ...DEFAULT_POLICY, ...options.policy },
  };

  const error = (code: number, sname: PrincipalName | undefined, failure?: KdcFailure): Uint8Array =>
    makeError(ctx.clock.now(), ctx.realm, code, sname, failure?.fields ?? {});

  type Audit = Omit<AuditInput, 'nowMs' | 'transport' | 'peer' | 'msgType'>;

  async function answer(request: Uint8Array, type: number): Promise<{ reply: Uint8Array; audit: Audit }> {
    let req: KdcReq;
    try {
      req = type === 10 ? decode(AsReq, request) : decode(TgsReq, request);
    } catch (e) {
      if (e instanceof DecodeError && e.segments.includes('pvno')) {
        const code = ErrorCode.KDC_ERR_BAD_PVNO;
        return { reply: error(code, undefined), audit: { malformed: { code } } };
      }
      const code = ErrorCode.KRB_ERR_GENERIC;
      return {
        reply: error(code, undefined, new KdcFailure(code, { eText: 'MALFORMED REQUEST' })),
        audit: { malformed: { code } },
      };
    }
    const sname = req.reqBody.value.sname;
    try {
      const { reply, issued } = type === 10 ? await handleAs(ctx, req) : await handleTgs(ctx, req);
      return { reply, audit: { req, issued } };
    } catch (e) {
      if (e instanceof KdcFailure) return { reply: error(e.code, sname, e), audit: { req, failure: e } };
      options.onInternalError?.(e);
      return { reply: error(ErrorCode.KRB_ERR_GENERIC, sname), audit: { req, internal: true } };
    }
  }

  const sink = options.audit;
  function emit(info: RequestInfo, msgType: number | undefined, audit: Audit): void {
    if (sink === undefined) return;
    try {
      const event = auditEvent({
        ...audit,
        nowMs: ctx.clock.now(),
        transport: info.transport,
        peer: info.peer,
        msgType,
      });
      const done = sink.write(event);
      if (done !== undefined) done.catch((e: unknown) => options.onInternalError?.(e));
    } catch (e) {
      options.onInternalError?.(e);
    }
  }

  async function handle(request: Uint8Array, info: RequestInfo): Promise<Uint8Array | null> {
    let type: number | undefined;
    try {
      if (
        !(request instanceof Uint8Array) ||
        request.length === 0 ||
        request.length > ctx.policy.maxRequestBytes
      ) {
        emit(info, undefined, { dropped: true });
        return null;
      }
      type = peekMessageType(request);
      // Not Kerberos, or a KRB-ERROR (answering one could start an error loop): drop.
      if (type === undefined || type === 30) {
        emit(info, type, { dropped: true });
        return null;
      }
      let { reply, audit } =
        type === 10 || type === 12
          ? await answer(request, type)
          : { reply: error(ErrorCode.KRB_AP_ERR_MSG_TYPE, undefined), audit: {} };
      if (info.transport === 'udp' && reply.length > ctx.policy.maxUdpReplyBytes) {
        const code = ErrorCode.KRB_ERR_RESPONSE_TOO_BIG;
        reply = error(code, undefined);
        audit = { ...audit, issued: undefined, failure: new KdcFailure(code, { eText: 'RESPONSE_TOO_BIG' }) };
      }
      emit(info, type, audit);
      return reply;
    } catch (e) {
      options.onInternalError?.(e);
      emit(info, type, { dropped: true });
      return null;
    }
  }

  return { realm: ctx.realm, policy: ctx.policy, handle };
}
