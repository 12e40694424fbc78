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
import type { PrincipalStore } from '../store/principal-store.js';
import { handleAs } from './as.js';
import type { KdcContext } from './context.js';
import { KdcFailure } from './failure.js';
import { makeError } from './issue.js';
import { DEFAULT_POLICY, type KdcPolicy } from './policy.js';
import { pooledRandom } from './random.js';
import { generateRealm } from './realm.js';
import { handleTgs } from './tgs.js';

/** How a request reached the KDC (for size limits now, for the audit log later). */
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
  /** Called with unexpected failures (a storage error, a bug) that became KRB_ERR_GENERIC. */
  readonly onInternalError?: (error: unknown) => void;
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
    store: options.store,
    clock: options.clock ?? systemClock,
    random,
    policy: { ...DEFAULT_POLICY, ...options.policy },
  };

  const error = (code: number, sname: PrincipalName | undefined, failure?: KdcFailure): Uint8Array =>
    makeError(ctx.clock.now(), ctx.realm, code, sname, failure?.fields ?? {});

  async function answer(request: Uint8Array, type: number): Promise<Uint8Array> {
    let req: KdcReq;
    try {
      req = type === 10 ? decode(AsReq, request) : decode(TgsReq, request);
    } catch (e) {
      if (e instanceof DecodeError && e.segments.includes('pvno')) {
        return error(ErrorCode.KDC_ERR_BAD_PVNO, undefined);
      }
      return error(
        ErrorCode.KRB_ERR_GENERIC,
        undefined,
        new KdcFailure(ErrorCode.KRB_ERR_GENERIC, { eText: 'MALFORMED REQUEST' }),
      );
    }
    const sname = req.reqBody.value.sname;
    try {
      return type === 10 ? await handleAs(ctx, req) : await handleTgs(ctx, req);
    } catch (e) {
      if (e instanceof KdcFailure) return error(e.code, sname, e);
      options.onInternalError?.(e);
      return error(ErrorCode.KRB_ERR_GENERIC, sname);
    }
  }

  async function handle(request: Uint8Array, info: RequestInfo): Promise<Uint8Array | null> {
    try {
      if (
        !(request instanceof Uint8Array) ||
        request.length === 0 ||
        request.length > ctx.policy.maxRequestBytes
      ) {
        return null;
      }
      const type = peekMessageType(request);
      // Not Kerberos, or a KRB-ERROR (answering one could start an error loop): drop.
      if (type === undefined || type === 30) return null;
      const reply =
        type === 10 || type === 12
          ? await answer(request, type)
          : error(ErrorCode.KRB_AP_ERR_MSG_TYPE, undefined);
      if (info.transport === 'udp' && reply.length > ctx.policy.maxUdpReplyBytes) {
        return error(ErrorCode.KRB_ERR_RESPONSE_TOO_BIG, undefined);
      }
      return reply;
    } catch (e) {
      options.onInternalError?.(e);
      return null;
    }
  }

  return { realm: ctx.realm, policy: ctx.policy, handle };
}
