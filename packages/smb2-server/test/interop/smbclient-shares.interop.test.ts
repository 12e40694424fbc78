/**
 * Share listing against the real peers: Samba 4.17's `smbclient -L` (Kerberos, tickets from an
 * in-process Local KDC through MIT kinit) opens `srvsvc` on IPC$ and calls NetrShareEnum over
 * DCE/RPC (bind and calls by FSCTL_PIPE_TRANSCEIVE, long answers continued by READ) — at 3.1.1
 * and 2.0.2 (signed) and with `--client-protection=encrypt`; the listing is exactly our shares
 * (names, Disk/IPC, comments). Also: an unknown pipe is NT_STATUS_OBJECT_NAME_NOT_FOUND.
 */
import { engineTransport } from '@postntlm/iakerb';
import { run } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../../src/index.js';
import { startTestRealm, type TestRealm } from './realm.js';

let t: TestRealm;
let server: SmbServer;
let port: number;
let many: SmbServer;
let manyPort: number;

/** What `smbclient -L` must print: every share, then IPC$ (no others). */
const EXPECTED: readonly [string, string, string][] = [
  ['files', 'Disk', 'Team files'],
  ['encfiles', 'Disk', 'Encrypted area'],
  ['nopath', 'Disk', ''],
  ['IPC$', 'IPC', 'Remote IPC'],
];

const MANY: readonly [string, string, string][] = Array.from({ length: 150 }, (_, i) => [
  `share${String(i).padStart(3, '0')}`,
  'Disk',
  `Share number ${i} with a longer comment`,
]);

beforeAll(async () => {
  t = await startTestRealm('smb2-server-shares-');
  server = createSmbServer({
    keytab: t.keytab,
    iakerb: { realm: t.realm, kdc: engineTransport(t.kdc) },
    shares: [
      { name: 'files', path: t.dir, remark: 'Team files' },
      { name: 'encfiles', path: t.dir, remark: 'Encrypted area', encrypt: true },
      { name: 'nopath' },
    ],
  });
  ({ port } = await server.listen({ port: 0 }));
  // Enough shares for a NetrShareEnum answer of several fragments (READs after the TRANSCEIVE).
  many = createSmbServer({ keytab: t.keytab, shares: MANY.map(([name, , remark]) => ({ name, remark })) });
  ({ port: manyPort } = await many.listen({ port: 0 }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await many?.close();
  await t?.close();
});

async function smbclient(args: readonly string[], dialect: string, protection: string, to = port) {
  const r = await run(
    'smbclient',
    [...t.smbclientArgs(to), ...args, ...t.kerberos, '-m', dialect, `--client-protection=${protection}`],
    { env: t.env, timeoutMs: 60_000, cwd: t.dir },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  if (process.env.SMB_DEBUG) console.log(`${args.join(' ')} ${dialect} ${protection}\n${out}`);
  return { ...r, out };
}

/** The rows of the "Sharename Type Comment" table of `smbclient -L`. */
function shareRows(stdout: string): [string, string, string][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^\s*Sharename\s+Type\s+Comment/.test(l));
  expect(start, stdout).toBeGreaterThanOrEqual(0);
  const rows: [string, string, string][] = [];
  for (const line of lines.slice(start + 2)) {
    // "\tfiles           Disk      Team files": name (15 wide), type (10 wide), comment.
    const m = /^\t(\S.{0,14}?)\s+(Disk|IPC|Printer|Device)\s*(.*)$/.exec(line);
    if (m === null) break;
    rows.push([m[1] ?? '', m[2] ?? '', (m[3] ?? '').trimEnd()]);
  }
  return rows;
}

describe('share listing against our server', () => {
  it.each([
    ['SMB3_11', 'sign'],
    ['SMB2_02', 'sign'],
    ['SMB3_11', 'encrypt'],
    ['SMB3_00', 'encrypt'],
  ])(
    'smbclient -L at %s (%s) lists exactly our shares and IPC$',
    async (dialect, protection) => {
      const r = await smbclient(['-L', '//files.test'], dialect, protection);
      expect(r.code, r.out).toBe(0);
      expect(shareRows(r.stdout)).toEqual(EXPECTED);
    },
    60_000,
  );

  it('smbclient -L of 150 shares (a multi-fragment answer read by READ)', async () => {
    const r = await smbclient(['-L', '//files.test'], 'SMB3_11', 'sign', manyPort);
    expect(r.code, r.out).toBe(0);
    expect(shareRows(r.stdout)).toEqual([...MANY, ['IPC$', 'IPC', 'Remote IPC']]);
  }, 60_000);

  it('an unknown pipe on IPC$ is NT_STATUS_OBJECT_NAME_NOT_FOUND', async () => {
    const r = await smbclient(['//files.test/IPC$', '-c', 'get nosuchpipe /dev/null'], 'SMB3_11', 'sign');
    expect(r.out).toMatch(/NT_STATUS_OBJECT_NAME_NOT_FOUND/);
  }, 60_000);
});
