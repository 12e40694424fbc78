/** The trace as a self-contained SVG sequence diagram (for --trace-svg FILE). */
import type { AuthStep, Party } from './steps.js';

const X: Record<Party, number> = { client: 140, server: 520, kdc: 900 };
const TOP = 110;
const ROW = 56;

const xmlText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function arrow(from: number, to: number, y: number, dashed: boolean): string {
  const dir = to > from ? -1 : 1;
  const head = `${to},${y} ${to + dir * 10},${y - 5} ${to + dir * 10},${y + 5}`;
  return (
    `<line x1="${from}" y1="${y}" x2="${to + dir * 10}" y2="${y}" stroke="#1f2937" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
    `<polygon points="${head}" fill="#1f2937"/>`
  );
}

export function renderSvg(steps: readonly AuthStep[], server: string): string {
  const width = 1040;
  const height = TOP + Math.max(1, steps.length) * ROW + 60;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="30" text-anchor="middle" font-size="18" font-weight="bold" fill="#111827">${xmlText(`Authentication with ${server}`)}</text>`,
  );
  const names: Record<Party, string> = {
    client: 'Client',
    server: `SMB server (${server})`,
    kdc: 'KDC (via the server)',
  };
  for (const party of ['client', 'server', 'kdc'] as const) {
    const x = X[party];
    parts.push(
      `<rect x="${x - 95}" y="50" width="190" height="34" rx="6" fill="#e0e7ff" stroke="#4338ca"/>`,
      `<text x="${x}" y="72" text-anchor="middle" font-size="13" fill="#1e1b4b">${xmlText(names[party])}</text>`,
      `<line x1="${x}" y1="84" x2="${x}" y2="${height - 20}" stroke="#9ca3af" stroke-width="1.5" stroke-dasharray="4 4"/>`,
    );
  }
  steps.forEach((s, i) => {
    const y = TOP + i * ROW + 24;
    for (let k = 0; k + 1 < s.path.length; k++) {
      const from = s.path[k] as Party;
      const to = s.path[k + 1] as Party;
      parts.push(arrow(X[from], X[to], y, from === 'kdc' || to === 'kdc'));
    }
    const xs = s.path.map((p) => X[p]);
    const mid = (Math.min(...xs) + Math.max(...xs)) / 2;
    const label = `${s.n}. ${s.message}`;
    parts.push(
      `<text x="${mid}" y="${y - 8}" text-anchor="middle" font-size="12" fill="#111827">${xmlText(label)}</text>`,
      `<text x="${mid}" y="${y + 18}" text-anchor="middle" font-size="11" fill="#6b7280">${xmlText(
        `${s.bytes} bytes, +${s.atMs.toFixed(1)} ms${s.status === undefined ? '' : `, ${s.status}`}`,
      )}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
