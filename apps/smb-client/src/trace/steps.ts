/** The trace's events as numbered steps: who talks to whom, and what the message is. */
import type { SmbAuthTraceEvent } from '@postntlm/smb2-client';

export type Party = 'client' | 'server' | 'kdc';

export interface AuthStep {
  readonly n: number;
  /** The path the message takes: client→server, or client→server→KDC for a proxied IAKerb request (and back). */
  readonly path: readonly Party[];
  readonly message: string;
  /** The SMB2 response status, for responses. */
  readonly status?: string;
  readonly bytes: number;
  /** Milliseconds since the first message. */
  readonly atMs: number;
}

/** A mechanism's name as the trace shows it before a Kerberos message. */
const mechPrefix = (name: string | undefined): string =>
  name === undefined ? '' : name === 'IAKERB' ? 'IAKerb ' : `${name} `;

/**
 * What the message carries. `afterProxy`: IAKerb proxy tokens came before it, so an AP-REQ
 * holds the IAKERB-FINISHED checksum over them (our initiator adds it exactly then).
 */
function tokenLabel(e: SmbAuthTraceEvent, afterProxy: boolean): string {
  const t = e.token;
  if (t === undefined) return '';
  if (e.command === 'NEGOTIATE')
    return t.mechs.length > 0 ? `SPNEGO hint: ${t.mechs.join(', ')}` : 'SPNEGO hint';
  if (t.kind === 'iakerb-proxy') {
    // The realm is the same for every proxied message: the discovery answer shows it once.
    if (t.kerberos === 'realm discovery')
      return e.direction === 'send' || t.targetRealm === undefined || t.targetRealm === ''
        ? 'IAKerb realm discovery (empty realm)'
        : `IAKerb realm discovery: ${t.targetRealm}`;
    return `IAKerb ${t.kerberos ?? 'message'}`;
  }
  // The GSS framing names the token's mechanism; SPNEGO's list only says what was offered.
  const mech = mechPrefix(t.gssMech ?? (t.mechs.includes('IAKERB') ? 'IAKERB' : t.mechs[0]));
  if (t.kind === 'ap-req' && afterProxy) return `${mech}AP-REQ (IAKERB-FINISHED)`;
  if (t.kerberos !== undefined) return `${mech}${t.kerberos}`;
  if (t.spnego === 'NegTokenInit' || t.spnego === 'NegTokenInit2')
    return `SPNEGO ${t.spnego} (${t.mechs.join(', ')})`;
  if (t.negState !== undefined) return `SPNEGO ${t.negState}`;
  return `SPNEGO ${t.spnego}`;
}

/**
 * Whether the server forwarded this message to (or got it from) a KDC: an IAKerb KDC
 * exchange. Not realm discovery (the server answers it), nor KRB-ERROR 85/86, which the
 * server itself sends when it found no KDC or got no answer.
 */
const viaKdc = (e: SmbAuthTraceEvent): boolean => {
  const kerberos = e.token?.kind === 'iakerb-proxy' ? e.token.kerberos : undefined;
  return (
    kerberos !== undefined &&
    kerberos !== 'realm discovery' &&
    kerberos !== 'malformed' &&
    !kerberos.includes('KRB_AP_ERR_IAKERB_KDC_')
  );
};

export function toSteps(events: readonly SmbAuthTraceEvent[]): AuthStep[] {
  const t0 = events[0]?.timeMs ?? 0;
  let afterProxy = false;
  return events.map((e, i) => {
    const kdc = viaKdc(e);
    const what = tokenLabel(e, afterProxy);
    if (e.command === 'NEGOTIATE')
      afterProxy = false; // a new connection (reconnect)
    else if (e.token?.kind === 'iakerb-proxy') afterProxy = true;
    const path: Party[] =
      e.direction === 'send'
        ? kdc
          ? ['client', 'server', 'kdc']
          : ['client', 'server']
        : kdc
          ? ['kdc', 'server', 'client']
          : ['server', 'client'];
    const verb = e.direction === 'send' ? 'request' : 'response';
    return {
      n: i + 1,
      path,
      message: `${e.command} ${verb}${what === '' ? '' : `: ${what}`}`,
      ...(e.status === undefined ? {} : { status: e.status }),
      bytes: e.bytes,
      atMs: e.timeMs - t0,
    };
  });
}
