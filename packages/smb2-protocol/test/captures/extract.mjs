// Extracts the SMB traffic of the reference captures into JSON fixtures, once (run by hand:
// `node test/captures/extract.mjs /path/to/shared/interop/captures`; needs tshark). Each TCP
// direction is reassembled (tshark "follow,tcp,raw") and cut into Direct TCP frames; every
// frame is kept as hex, in wire order, with its direction. The tests use only the JSON.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: node extract.mjs CAPTURES_DIR');
const keys = readFileSync(join(dir, 'smb-keys', 'session-keys.txt'), 'utf8');

for (const name of ['smbclient-krb5', 'smbclient-krb5-encrypt']) {
  const out = execFileSync('tshark', ['-r', join(dir, `${name}.pcapng`), '-q', '-z', 'follow,tcp,raw,0'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  // Blocks in wire order; the server's are indented with a tab.
  const blocks = [];
  for (const line of out.split('\n')) {
    const m = /^(\t?)([0-9a-f]+)$/.exec(line);
    if (m !== null) blocks.push({ dir: m[1] === '\t' ? 's2c' : 'c2s', hex: m[2] });
  }
  const pending = { c2s: '', s2c: '' };
  const frames = [];
  for (const b of blocks) {
    pending[b.dir] += b.hex;
    for (;;) {
      const buf = pending[b.dir];
      if (buf.length < 8) break;
      const length = Number.parseInt(buf.slice(2, 8), 16);
      if (buf.length < 8 + 2 * length) break;
      frames.push({ direction: b.dir, hex: buf.slice(8, 8 + 2 * length) });
      pending[b.dir] = buf.slice(8 + 2 * length);
    }
  }
  if (pending.c2s !== '' || pending.s2c !== '') throw new Error(`${name}: a partial frame is left over`);
  const line = keys.split('\n').find((l) => l.startsWith(`${name}.pcapng `));
  const sessionKey = /smb_session_key=([0-9a-f]+)/.exec(line ?? '')?.[1];
  const sessionId = /session_id=(0x[0-9a-f]+)/.exec(line ?? '')?.[1];
  writeFileSync(
    join(import.meta.dirname, `${name}.json`),
    `${JSON.stringify({ source: `shared/interop/captures/${name}.pcapng (TCP stream 0, Samba 4.17 smbd on 127.0.0.1:44445 and smbclient 4.17)`, sessionId, sessionKey, frames }, null, 1)}\n`,
  );
  console.log(name, frames.length, 'frames');
}
