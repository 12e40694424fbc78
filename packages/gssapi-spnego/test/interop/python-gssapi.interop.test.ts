/**
 * Acceptance (issue 5, line 3): MIC and Wrap round trips, sealed and unsealed, both
 * directions, with python3-gssapi (MIT's libgssapi_krb5) as the other end: once as the
 * initiator against our acceptor, once as the acceptor of our initiator. Our Wrap tokens
 * are sent with RRC 0 and with RRC 28 (what Windows writes).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { kinit, type MitKdc, useMitKdc } from '@postntlm/interop';
import { getInitialCredentials, getServiceTicket, loadKrb5Config } from '@postntlm/krb5-client';
import { readKeytab } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { Krb5Acceptor, Krb5Initiator, type SecurityContext } from '../../src/index.js';

const kdc = useMitKdc();
const script = fileURLToPath(new URL('./gssapi-peer.py', import.meta.url));
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.trim(), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Our wraps: sealed and unsealed, RRC 0 and 28. */
const OURS = [
  { seal: true, rrc: 0 },
  { seal: false, rrc: 0 },
  { seal: true, rrc: 28 },
  { seal: false, rrc: 28 },
] as const;

function peer(k: MitKdc, role: 'initiate' | 'accept') {
  const child = spawn('/usr/bin/python3', [script, role, String(OURS.length)], {
    env: { ...process.env, ...k.env, KRB5_KTNAME: `FILE:${k.files.serviceKeytab}` },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    async read(): Promise<string> {
      const next = await lines.next();
      if (next.done === true) throw new Error(`python3-gssapi ended early: ${stderr}`);
      return next.value;
    },
    write(line: string): void {
      child.stdin.write(`${line}\n`);
    },
    async end(): Promise<{ code: number | null; stderr: string }> {
      child.stdin.end();
      return { code: await exited, stderr };
    },
  };
}

async function exchangeMessages(ctx: SecurityContext, p: ReturnType<typeof peer>) {
  const sealed = ctx.unwrap(hex(await p.read()));
  expect([new TextDecoder().decode(sealed.message), sealed.sealed]).toEqual(['from-python-1', true]);
  const plain = ctx.unwrap(hex(await p.read()));
  expect([new TextDecoder().decode(plain.message), plain.sealed]).toEqual(['from-python-2', false]);
  ctx.verifyMic(utf8('from-python-3'), hex(await p.read()));
  for (const [i, o] of OURS.entries()) {
    p.write(toHex(ctx.wrap(utf8(`from-ts-${i}`), o)));
    expect(await p.read()).toBe(`${toHex(utf8(`from-ts-${i}`))} ${o.seal ? 1 : 0}`);
  }
  p.write(toHex(ctx.getMic(utf8('from-ts'))));
  expect(await p.read()).toBe('MIC OK');
}

describe('python3-gssapi', () => {
  it('as initiator → our acceptor: Wrap (sealed, unsealed, RRC 0/28) and MIC both ways', async () => {
    const k = kdc();
    expect((await kinit(k, 'alice', k.passwords.alice!)).code).toBe(0);
    const keytab = readKeytab(new Uint8Array(await readFile(k.files.serviceKeytab)));
    const p = peer(k, 'initiate');
    const step = new Krb5Acceptor({ keytab, principal: 'host/localhost@MIT.TEST' }).step(hex(await p.read()));
    expect(step.error).toBeUndefined();
    p.write(toHex(step.outputToken!));
    await exchangeMessages(step.context!, p);
    const { code, stderr } = await p.end();
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);

  it('as acceptor ← our initiator: Wrap (sealed, unsealed, RRC 0/28) and MIC both ways', async () => {
    const k = kdc();
    const config = await loadKrb5Config(k.files.krb5Conf);
    const tgt = await getInitialCredentials({
      client: 'alice',
      config,
      credentials: { password: k.passwords.alice! },
    });
    const credential = await getServiceTicket({ tgt, server: 'host/localhost', config });
    const p = peer(k, 'accept');
    const initiator = new Krb5Initiator({ credential });
    p.write(toHex(initiator.step().outputToken!));
    const done = initiator.step(hex(await p.read()));
    expect(done.error).toBeUndefined();
    expect(await p.read()).toBe('alice@MIT.TEST');
    await exchangeMessages(done.context!, p);
    const { code, stderr } = await p.end();
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
