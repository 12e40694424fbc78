/**
 * `--trace` / `--trace-svg FILE` around one authentication: the only place the commands meet
 * the trace (src/trace/), so its engineer can change what is shown here alone.
 */
import { writeFile } from 'node:fs/promises';
import type { SmbClientOptions } from '@postntlm/smb2-client';
import { flag, type Parsed, str } from './cli/args.js';
import type { AppIo } from './cli/io.js';
import { createAuthTrace } from './trace/index.js';

export type TraceHook = Pick<SmbClientOptions, 'onAuthTrace'>;

/**
 * Runs `authenticate` with the trace's client options when --trace or --trace-svg is given,
 * then (on success and on failure) prints the steps to stderr and/or writes the SVG.
 */
export async function withAuthTrace<T>(
  server: string,
  p: Parsed,
  io: AppIo,
  authenticate: (hook: TraceHook) => Promise<T>,
): Promise<T> {
  const text = flag(p, 'trace');
  const svgPath = str(p, 'trace-svg');
  if (!text && svgPath === undefined) return authenticate({});
  const trace = createAuthTrace({ server });
  const report = async () => {
    if (text) io.stderr(`${trace.lines().join('\n')}\n`);
    if (svgPath !== undefined) await writeFile(svgPath, trace.svg());
  };
  let result: T;
  try {
    result = await authenticate(trace.clientOptions);
  } catch (e) {
    // The failed logon is the error to report (and its exit code), not an unwritable SVG.
    await report().catch((w: unknown) =>
      io.stderr(`postntlm-smb: --trace-svg ${svgPath}: ${w instanceof Error ? w.message : String(w)}\n`),
    );
    throw e;
  }
  await report();
  return result;
}
