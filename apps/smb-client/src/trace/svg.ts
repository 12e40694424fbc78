/**
 * The trace as a self-contained SVG sequence diagram (for --trace-svg FILE): client and
 * server lifelines, the KDC's behind the server when the server proxied Kerberos messages,
 * one arrow per message (per hop for a proxied one) labelled with its step, size and time.
 * No scripts, fonts or links: it renders the same in a browser, an image viewer or a report.
 */
import type { AuthStep, Party } from './steps.js';

const MARGIN = 20;
const TOP = 110;
const ROW = 56;
const LABEL_FONT = 12;
const DETAIL_FONT = 11;
const PARTY_FONT = 13;
/** Least distance client–server, and server–KDC (that hop carries no label of its own). */
const MIN_SERVER_GAP = 300;
const MIN_KDC_GAP = 240;
const MIN_BOX = 150;
/** Room left and right of a label between its lifelines. */
const LABEL_PAD = 24;

/**
 * Text width estimated from DejaVu Sans' advance widths by class of character (there are
 * no font metrics without a renderer), rounded up so labels stay between their lifelines.
 */
function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const c of s) {
    if (/[ijlrtfI.,:;'|!()[\] -]/.test(c)) em += 0.4;
    else if (/[mwMW+]/.test(c)) em += 0.98;
    else if (/[A-Z]/.test(c)) em += 0.7;
    else em += 0.62;
  }
  return Math.ceil(em * fontSize);
}

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

const stepLabel = (s: AuthStep): string => `${s.n}. ${s.message}`;
const stepDetail = (s: AuthStep): string =>
  `${s.bytes} bytes, +${s.atMs.toFixed(1)} ms${s.status === undefined ? '' : `, ${s.status}`}`;

interface Layout {
  readonly x: Readonly<Record<Party, number>>;
  readonly parties: readonly Party[];
  readonly names: Readonly<Record<Party, string>>;
  readonly box: Readonly<Record<Party, number>>;
  readonly width: number;
  readonly height: number;
}

/** Lifeline positions far enough apart for every label between them; the KDC only if reached. */
function layout(steps: readonly AuthStep[], server: string): Layout {
  const names: Record<Party, string> = {
    client: 'Client',
    server: `SMB server (${server})`,
    kdc: 'KDC (via the server)',
  };
  const proxied = steps.some((s) => s.path.includes('kdc'));
  const parties: Party[] = proxied ? ['client', 'server', 'kdc'] : ['client', 'server'];
  const boxOf = (p: Party) => Math.max(MIN_BOX, textWidth(names[p], PARTY_FONT) + 20);
  const box = { client: boxOf('client'), server: boxOf('server'), kdc: boxOf('kdc') };
  const labelWidth = (s: AuthStep) =>
    Math.max(textWidth(stepLabel(s), LABEL_FONT), textWidth(stepDetail(s), DETAIL_FONT)) + 2 * LABEL_PAD;
  // Every label sits on the client–server leg, the one the client saw; a proxied message's
  // dashed hop to the KDC continues beside it.
  const toServer = Math.max(MIN_SERVER_GAP, (box.client + box.server) / 2 + 20, ...steps.map(labelWidth));
  const toKdc = Math.max(MIN_KDC_GAP, (box.server + box.kdc) / 2 + 20);
  const client = MARGIN + box.client / 2;
  const x = { client, server: client + toServer, kdc: client + toServer + toKdc };
  const right = proxied ? x.kdc + box.kdc / 2 : x.server + box.server / 2;
  const title = textWidth(`Authentication with ${server}`, 18) * 1.1 + 2 * MARGIN; // bold
  const width = Math.ceil(Math.max(right + MARGIN, title));
  const height = TOP + Math.max(1, steps.length) * ROW + 60;
  return { x, parties, names, box, width, height };
}

export function renderSvg(steps: readonly AuthStep[], server: string): string {
  const { x: X, parties, names, box, width, height } = layout(steps, server);
  const title = `Authentication with ${server}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<title>${xmlText(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="30" text-anchor="middle" font-size="18" font-weight="bold" fill="#111827">${xmlText(title)}</text>`,
  ];
  for (const party of parties) {
    const x = X[party];
    parts.push(
      `<rect x="${x - box[party] / 2}" y="50" width="${box[party]}" height="34" rx="6" fill="#e0e7ff" stroke="#4338ca"/>`,
      `<text x="${x}" y="72" text-anchor="middle" font-size="${PARTY_FONT}" fill="#1e1b4b">${xmlText(names[party])}</text>`,
      `<line x1="${x}" y1="84" x2="${x}" y2="${height - 20}" stroke="#9ca3af" stroke-width="1.5" stroke-dasharray="4 4"/>`,
    );
  }
  steps.forEach((s, i) => {
    const y = TOP + i * ROW + 24;
    for (let k = 0; k + 1 < s.path.length; k++) {
      const from = s.path[k] as Party;
      const to = s.path[k + 1] as Party;
      // The server-to-KDC hop is dashed: the client never sees it, it infers it from the token.
      parts.push(arrow(X[from], X[to], y, from === 'kdc' || to === 'kdc'));
    }
    const mid = (X.client + X.server) / 2;
    parts.push(
      `<text x="${mid}" y="${y - 8}" text-anchor="middle" font-size="${LABEL_FONT}" fill="#111827">${xmlText(stepLabel(s))}</text>`,
      `<text x="${mid}" y="${y + 18}" text-anchor="middle" font-size="${DETAIL_FONT}" fill="#6b7280">${xmlText(stepDetail(s))}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
