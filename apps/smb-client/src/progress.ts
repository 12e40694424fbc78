/** A progress bar with rate and ETA for get/put, drawn on stderr only when it is a terminal. */
export interface Progress {
  add(bytes: number): void;
  done(): void;
}

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function progressBar(
  label: string,
  total: number | undefined,
  write: (text: string) => void,
  enabled: boolean,
): Progress {
  if (!enabled) return { add: () => {}, done: () => {} };
  const start = performance.now();
  let sent = 0;
  let lastDraw = 0;
  const draw = (final: boolean) => {
    const now = performance.now();
    if (!final && now - lastDraw < 100) return;
    lastDraw = now;
    const seconds = Math.max((now - start) / 1000, 1e-3);
    const rate = sent / seconds;
    const width = 30;
    const fraction = total === undefined || total === 0 ? 1 : Math.min(1, sent / total);
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
    const left = total === undefined ? '' : ` ETA ${eta((total - sent) / rate)}`;
    const size = total === undefined ? mb(sent) : `${mb(sent)}/${mb(total)}`;
    write(`\r${label} [${bar}] ${size} ${(rate / 1e6).toFixed(1)} MB/s${left}${final ? '\n' : ''}`);
  };
  return {
    add(bytes) {
      sent += bytes;
      draw(false);
    },
    done: () => draw(true),
  };
}
