/**
 * The audit log's events: one JSON-ready object per request, with the field names of MIT
 * krb5's JSON audit encoder (krb5:src/plugins/audit/kdc_j_encode.c, j_dict.h) where one
 * applies. Sans-IO: sinks that write them somewhere are in `../audit/sinks.ts`. No key,
 * password or cipher text ever appears in an event — only names, enctype numbers, flags
 * and times.
 */
import { errorCodeName, type KdcReq, type PrincipalName } from '@postntlm/krb5-messages';
import type { KdcFailure } from './failure.js';
import type { ReplyContents } from './issue.js';

/** A principal as MIT's audit encoder writes it. */
export interface AuditPrincipal {
  readonly realm: string;
  readonly length: number;
  readonly components: readonly string[];
}

/** Where the request came from: `ip` for TCP/UDP, `path` for a Unix socket. */
export interface AuditAddress {
  readonly type: 'ipv4' | 'ipv6' | 'unix' | 'other';
  readonly ip?: string;
  readonly path?: string;
}

/** The issued ticket (MIT's `rep.ticket`); times in seconds since the epoch. */
export interface AuditTicket {
  readonly cname: AuditPrincipal;
  readonly sname: AuditPrincipal;
  readonly flags: number;
  readonly authtime: number;
  readonly start: number;
  readonly end: number;
  readonly renew_till?: number;
  readonly sess_etype: number;
  readonly srv_etype: number;
}

export interface AuditEvent {
  /** `as_req`, `tgs_req`, or (ours) `other_req` for a message that is neither. */
  readonly event_name: 'as_req' | 'tgs_req' | 'other_req';
  readonly event_success: boolean;
  /** MIT's status word: `ISSUE` on success, else `NEEDED_PREAUTH`, `PREAUTH_FAILED`, `CLIENT_NOT_FOUND`, ... */
  readonly kdc_status: string;
  /** Ours: the KRB-ERROR code sent (absent on success and when the request was dropped). */
  readonly error_code?: number;
  /** Ours: ISO 8601 time of the request, from the engine's clock. */
  readonly time: string;
  /** Ours: `udp`, `tcp`, `unix`, `memory`, `iakerb`. */
  readonly transport: string;
  readonly fromaddr?: AuditAddress;
  readonly fromport?: number;
  readonly 'req.client'?: AuditPrincipal;
  readonly 'req.server'?: AuditPrincipal;
  readonly 'req.kdc_options'?: number;
  readonly 'req.avail_etypes'?: readonly number[];
  readonly 'req.pa_type'?: readonly number[];
  readonly 'req.tkt_end'?: number;
  readonly 'req.tkt_renew_till'?: number;
  readonly 'rep.ticket'?: AuditTicket;
  /** Enctype of the reply's enc-part (AS: the client's long-term key). */
  readonly rep_etype?: number;
  /** TGS: the request was a renewal (RENEW option). */
  readonly tkt_renewed?: boolean;
}

/** Receives one event per request. A sink that throws or rejects never affects the reply. */
export interface AuditSink {
  write(event: AuditEvent): void | Promise<void>;
}

const principal = (realm: string, name: PrincipalName): AuditPrincipal => ({
  realm,
  length: name.nameString.length,
  components: [...name.nameString],
});

const epoch = (d: Date): number => Math.floor(d.getTime() / 1000);

/** `127.0.0.1:88` → ipv4, `[::1]:88` or `::1:88` → ipv6, a Unix socket → its path. */
function fromAddress(transport: string, peer: string | undefined): Pick<AuditEvent, 'fromaddr' | 'fromport'> {
  if (peer === undefined || peer === '') return {};
  if (transport === 'unix') return { fromaddr: { type: 'unix', path: peer } };
  const colon = peer.lastIndexOf(':');
  const port = Number(peer.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) return { fromaddr: { type: 'other' } };
  const ip = peer.slice(0, colon).replace(/^\[|\]$/g, '');
  return { fromaddr: { type: ip.includes(':') ? 'ipv6' : 'ipv4', ip }, fromport: port };
}

const KRB_AP_ERR_MSG_TYPE = 40;
const KRB_ERR_GENERIC = 60;

export interface AuditInput {
  readonly nowMs: number;
  readonly transport: string;
  readonly peer: string | undefined;
  /** 10, 12, another message type, or undefined when not Kerberos. */
  readonly msgType: number | undefined;
  readonly req?: KdcReq | undefined;
  readonly issued?: ReplyContents | undefined;
  readonly failure?: KdcFailure | undefined;
  /** The request was dropped (no reply). */
  readonly dropped?: boolean;
  /** An internal error (store failure, bug) became KRB_ERR_GENERIC. */
  readonly internal?: boolean;
  /** The request did not decode as an AS/TGS-REQ. */
  readonly malformed?: { code: number } | undefined;
}

/** Builds the event for one request. */
export function auditEvent(a: AuditInput): AuditEvent {
  const event_name = a.msgType === 10 ? 'as_req' : a.msgType === 12 ? 'tgs_req' : 'other_req';
  const base = {
    event_name,
    time: new Date(a.nowMs).toISOString(),
    transport: a.transport,
    ...fromAddress(a.transport, a.peer),
  } as const;
  const req: Record<string, unknown> = {};
  if (a.req !== undefined) {
    const body = a.req.reqBody.value;
    if (body.cname !== undefined) req['req.client'] = principal(body.realm, body.cname);
    else if (a.issued !== undefined) req['req.client'] = principal(a.issued.crealm, a.issued.cname);
    else if (a.failure?.fields.cname !== undefined)
      req['req.client'] = principal(a.failure.fields.crealm ?? body.realm, a.failure.fields.cname);
    if (body.sname !== undefined) req['req.server'] = principal(body.realm, body.sname);
    req['req.kdc_options'] = body.kdcOptions >>> 0;
    req['req.avail_etypes'] = [...body.etype];
    req['req.pa_type'] = (a.req.padata ?? []).map((p) => p.padataType);
    req['req.tkt_end'] = epoch(body.till);
    if (body.rtime !== undefined) req['req.tkt_renew_till'] = epoch(body.rtime);
    if (a.msgType === 12)
      req.tkt_renewed = (body.kdcOptions & (0x80000000 >>> 30)) !== 0 && a.issued !== undefined;
  }
  if (a.issued !== undefined) {
    const t = a.issued;
    const ticket: AuditTicket = {
      cname: principal(t.crealm, t.cname),
      sname: principal(t.realm, t.sname),
      flags: t.flags >>> 0,
      authtime: epoch(t.authtime),
      start: epoch(t.starttime),
      end: epoch(t.endtime),
      ...(t.renewTill === undefined ? {} : { renew_till: epoch(t.renewTill) }),
      sess_etype: t.sessionKey.enctype,
      srv_etype: t.serverKey.key.enctype,
    };
    return {
      ...base,
      event_success: true,
      kdc_status: 'ISSUE',
      ...req,
      'rep.ticket': ticket,
      rep_etype: t.replyKey.enctype,
    };
  }
  let code: number | undefined;
  let status: string;
  if (a.dropped === true) status = 'DROPPED';
  else if (a.failure !== undefined) {
    code = a.failure.code;
    status = a.failure.fields.eText ?? errorCodeName(code) ?? `ERROR_${code}`;
  } else if (a.malformed !== undefined) {
    code = a.malformed.code;
    status = 'MALFORMED REQUEST';
  } else if (a.internal === true) {
    code = KRB_ERR_GENERIC;
    status = 'INTERNAL_ERROR';
  } else {
    code = KRB_AP_ERR_MSG_TYPE;
    status = 'WRONG_MESSAGE_TYPE';
  }
  return {
    ...base,
    event_success: false,
    kdc_status: status,
    ...(code === undefined ? {} : { error_code: code }),
    ...req,
  };
}
