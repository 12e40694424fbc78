/** The trace as aligned text lines (for --trace, on stderr). */
import type { AuthStep, Party } from './steps.js';

const SHORT: Record<Party, string> = { client: 'C', server: 'S', kdc: 'KDC' };

export function renderText(steps: readonly AuthStep[], server: string): string[] {
  if (steps.length === 0) return [`trace: no authentication messages with ${server}`];
  const rows = steps.map((s) => ({
    n: `${s.n}`,
    path: s.path.map((p) => SHORT[p]).join(' -> '),
    message: s.message,
    // STATUS_MORE_PROCESSING_REQUIRED is every middle leg: the short form keeps lines readable.
    status: s.status === undefined ? '' : s.status.replace(/^STATUS_/, ''),
    bytes: `${s.bytes}`,
    at: `+${s.atMs.toFixed(1)}`,
  }));
  const width = (key: 'n' | 'path' | 'message' | 'status' | 'bytes', min: number) =>
    Math.max(min, ...rows.map((r) => r[key].length));
  const w = {
    n: width('n', 1),
    path: width('path', 4),
    message: width('message', 7),
    status: width('status', 6),
    bytes: width('bytes', 5),
  };
  const line = (r: { n: string; path: string; message: string; status: string; bytes: string; at: string }) =>
    `${r.n.padStart(w.n)}  ${r.path.padEnd(w.path)}  ${r.message.padEnd(w.message)}  ${r.status.padEnd(w.status)}  ${r.bytes.padStart(w.bytes)}  ${r.at}`;
  return [
    `trace: authentication with ${server} (C client, S server, KDC reached through the server)`,
    line({ n: '#', path: 'flow', message: 'message', status: 'status', bytes: 'bytes', at: 'ms' }),
    ...rows.map(line),
  ];
}
