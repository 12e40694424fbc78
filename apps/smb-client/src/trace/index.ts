/**
 * The authentication trace of `postntlm-smb --trace` / `--trace-svg`: collects smb2-client's
 * `onAuthTrace` events while a connection authenticates and renders them as numbered steps
 * (NEGOTIATE, the IAKerb-proxied AS/TGS exchanges, AP-REQ/AP-REP) in text or as an SVG
 * sequence diagram.
 */
import type { SmbAuthTraceEvent, SmbClientOptions } from '@postntlm/smb2-client';
import { toSteps } from './steps.js';
import { renderSvg } from './svg.js';
import { renderText } from './text.js';

export type { AuthStep, Party } from './steps.js';
export { renderSvg, renderText, toSteps };

/** One NEGOTIATE or SESSION_SETUP message as smb2-client reports it (`onAuthTrace`). */
export type AuthTraceEvent = SmbAuthTraceEvent;

export interface AuthTrace {
  /** What to pass to `SmbClient.connect` to receive the client's authentication events. */
  readonly clientOptions: Pick<SmbClientOptions, 'onAuthTrace'>;
  readonly events: readonly AuthTraceEvent[];
  /** The numbered steps, one line each (for --trace on stderr). */
  lines(): string[];
  /** A self-contained SVG sequence diagram (for --trace-svg FILE). */
  svg(): string;
}

export function createAuthTrace(options: { server: string }): AuthTrace {
  const events: AuthTraceEvent[] = [];
  return {
    clientOptions: { onAuthTrace: (e) => events.push(e) },
    events,
    lines: () => renderText(toSteps(events), options.server),
    svg: () => renderSvg(toSteps(events), options.server),
  };
}
