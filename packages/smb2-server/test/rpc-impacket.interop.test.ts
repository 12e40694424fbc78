/**
 * impacket (python3-impacket) as the DCE/RPC client of SrvsvcPipe, offline: impacket's rpcrt
 * builds the BIND and REQUEST PDUs and its srvs NDR classes the NetrShareEnum /
 * NetrShareGetInfo stubs; our pipe answers; impacket parses the BIND_ACK, reassembles the
 * RESPONSE fragments and decodes them. We assert on what impacket printed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SrvsvcPipe, STYPE_DISKTREE, STYPE_IPC } from '../src/rpc/index.js';

const script = fileURLToPath(new URL('./fixtures/rpc-impacket-peer.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

function python(args: string[], input?: string): string {
  const result = spawnSync(PYTHON, [script, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) {
    throw new Error(`impacket peer ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}

// Enough shares (with long remarks) that the level 1 answer needs several 2048-octet fragments.
const extra = Array.from({ length: 40 }, (_, i) => ({
  name: `data${String(i).padStart(2, '0')}`,
  type: STYPE_DISKTREE,
  remark: `Share number ${i} with a remark long enough to matter`,
}));
const shares = [
  { name: 'docs', type: STYPE_DISKTREE, remark: 'Documents' },
  { name: 'ünïcødé', type: STYPE_DISKTREE, remark: '' },
  ...extra,
  { name: 'IPC$', type: STYPE_IPC, remark: 'Remote IPC' },
];

describe('impacket DCE/RPC client against SrvsvcPipe', () => {
  it('binds, enumerates shares (levels 1 and 0), gets share info, and sees a fault', () => {
    const requests = JSON.parse(python(['build'])) as Record<string, string[]>;
    const pipe = new SrvsvcPipe({ serverName: 'FILES', shares: () => shares });
    const answers: Record<string, string[]> = {};
    for (const [name, pdus] of Object.entries(requests)) {
      for (const hex of pdus) pipe.write(Buffer.from(hex, 'hex'));
      const out: string[] = [];
      for (let r = pipe.read(65536); r !== null; r = pipe.read(65536))
        out.push(Buffer.from(r.data).toString('hex'));
      answers[name] = out;
    }
    expect(answers.enum1!.length).toBeGreaterThan(1);

    const printed = python(['parse'], JSON.stringify(answers));
    // Shown in the test log: what impacket made of our answers.
    console.log(printed);
    const lines = printed.trim().split('\n');
    expect(lines[0]).toBe('bind_ack type=12 max_tfrag=2048 max_rfrag=2048 secondary=\\PIPE\\srvsvc');
    // NDR20 accepted; NDR64 provider-rejected (proposed transfer syntaxes not supported);
    // bind-time feature negotiation acknowledged; unknown interface rejected.
    expect(lines.slice(1, 5)).toEqual([
      'ctx 0 result=0 reason=0',
      'ctx 1 result=2 reason=2',
      'ctx 2 result=3 reason=0',
      'ctx 3 result=2 reason=1',
    ]);
    const enum1 = lines.find((l) => l.startsWith('enum1 '))!;
    expect(enum1).toMatch(/^enum1 fragments=\d+ entries=43 total=43 error=0$/);
    expect(Number(/fragments=(\d+)/.exec(enum1)![1])).toBeGreaterThan(1);
    const share1 = lines.filter((l) => l.startsWith('share1 '));
    expect(share1).toHaveLength(43);
    expect(share1[0]).toBe('share1 docs type=0x00000000 remark=Documents');
    expect(share1[1]).toBe('share1 ünïcødé type=0x00000000 remark=');
    expect(share1[42]).toBe('share1 IPC$ type=0x80000003 remark=Remote IPC');
    expect(lines).toContain(`enum0 fragments=1 names=${shares.map((s) => s.name).join(',')}`);
    expect(lines).toContain('getinfo docs type=0x00000000 remark=Documents error=0');
    expect(lines).toContain('getinfo_missing error=2310');
    expect(lines).toContain('opnum99 fault=nca_s_op_rng_error');
  });
});
