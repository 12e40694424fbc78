/** The trace as aligned text lines (for --trace, on stderr). */
import type { AuthStep, Party } from './steps.js';

const SHORT: Record<Party, string> = { client: 'C', server: 'S', kdc: 'KDC' };

export function renderText(steps: readonly AuthStep[], server: string): string[] {
  if (steps.length === 0) return [`trace: no authentication messages with ${server}`];
  const rows = steps.map((s) => ({
    n: `${s.n}`,
    path: s.path.map((p) => SHORT[p]).join(' -> '),
    message: s.status === undefined ? s.message : `${s.message} [${s.status}]`,
    bytes: `${s.bytes}`,
    at: `+${s.atMs.toFixed(1)}`,
  }));
  const w = {
    n: Math.max(1, ...rows.map((r) => r.n.length)),
    path: Math.max(4, ...rows.map((r) => r.path.length)),
    message: Math.max(7, ...rows.map((r) => r.message.length)),
    bytes: Math.max(5, ...rows.map((r) => r.bytes.length)),
  };
  const line = (n: string, path: string, message: string, bytes: string, at: string) =>
    `${n.padStart(w.n)}  ${path.padEnd(w.path)}  ${message.padEnd(w.message)}  ${bytes.padStart(w.bytes)}  ${at}`;
  return [
    `trace: authentication with ${server} (C client, S server, KDC reached through the server)`,
    line('#', 'flow', 'message', 'bytes', 'ms'),
    ...rows.map((r) => line(r.n, r.path, r.message, r.bytes, r.at)),
  ];
}
