/**
 * Real peer: MIT krb5kdc 1.20 (tooling/interop). Our loader reads the KDC's own krb5.conf;
 * our sender and transports carry AS-REQs to it over UDP and TCP and get its KRB-ERRORs
 * back; MIT's kinit gets a TGT through a UDP relay built on our UdpTransport; and a second
 * krb5kdc with `kdc_max_dgram_reply_size = 10` drives the RESPONSE_TOO_BIG → TCP path.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, kinit, klist, requireCommand, useMitKdc } from '@postntlm/interop';
import { ErrorCode } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKrb5Config, loadProfile, realmForHost } from '../../src/config/index.js';
import { sendToKdc, summarizeKrbError } from '../../src/locator/index.js';
import { TcpTransport, UdpTransport } from '../../src/transport/index.js';
import { buildAsReq } from './messages.js';

const kdc = useMitKdc();
const dir = mkdtempSync(join(tmpdir(), 'postntlm-mit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts that `reply` is MIT's KDC_ERR_PREAUTH_REQUIRED for the realm. */
function expectPreauthRequired(reply: Uint8Array): void {
  const error = summarizeKrbError(reply);
  expect(error).toMatchObject({ errorCode: ErrorCode.KDC_ERR_PREAUTH_REQUIRED, realm: kdc().realm });
}

describe("the KDC's own krb5.conf through loadProfile / loadKrb5Config", () => {
  it('reads realm, KDC address and enctypes as MIT writes them', async () => {
    const path = kdc().env.KRB5_CONFIG!;
    const config = await loadKrb5Config(path);
    expect(config.libdefaults).toMatchObject({
      defaultRealm: kdc().realm,
      dnsLookupKdc: false,
      dnsLookupRealm: false,
      udpPreferenceLimit: 1465,
      rdns: false,
      dnsCanonicalizeHostname: false,
      forwardable: true,
    });
    expect(config.libdefaults.permittedEnctypes).toEqual([18, 17, 20, 19]);
    expect(config.libdefaults.defaultTktEnctypes).toEqual([18, 17, 20, 19]);
    expect(config.libdefaults.defaultTgsEnctypes).toEqual([18, 17, 20, 19]);
    expect(config.realms.get(kdc().realm)?.kdc).toEqual([
      {
        kind: 'host',
        transport: 'any',
        host: '127.0.0.1',
        port: kdc().port,
        spec: `127.0.0.1:${kdc().port}`,
      },
    ]);
    expect(realmForHost(config, 'samba.mit.test')).toBe(kdc().realm);
    expect(realmForHost(config, 'localhost')).toBe(kdc().realm);
    // the same through KRB5_CONFIG in an environment
    const profile = await loadProfile(undefined, { env: kdc().env });
    expect(profile.files).toEqual([path]);
    expect(profile.value('libdefaults', 'default_ccache_name')).toBe(`FILE:${kdc().dir}/ccache`);
  });
});

describe('raw AS-REQs to MIT', () => {
  it('over UDP (sendToKdc with the loaded config): KDC_ERR_PREAUTH_REQUIRED', async () => {
    const config = await loadKrb5Config(kdc().env.KRB5_CONFIG!);
    const request = buildAsReq('alice', kdc().realm);
    const r = await sendToKdc(kdc().realm, request, { config, deadlineMs: 5000 });
    expect(r.protocol).toBe('udp');
    expect(r.address).toBe(`udp/127.0.0.1:${kdc().port}`);
    expectPreauthRequired(r.reply);
    expect(r.attempts.map((a) => a.outcome)).toEqual(['reply']);
    console.info(`MIT over UDP: ${JSON.stringify(summarizeKrbError(r.reply))}, ${r.reply.length} bytes`);
  });

  it('over TCP (TcpTransport): KDC_ERR_PREAUTH_REQUIRED', async () => {
    const reply = await new TcpTransport({ host: '127.0.0.1', port: kdc().port }).send(
      buildAsReq('alice', kdc().realm),
      {
        timeoutMs: 5000,
      },
    );
    expectPreauthRequired(reply);
  });

  it("udp_preference_limit = 1 (a profile in front of the KDC's): TCP, as MIT's own kinit does", async () => {
    const override = join(dir, 'prefer-tcp.conf');
    writeFileSync(override, '[libdefaults]\n\tudp_preference_limit = 1\n');
    const list = `${override}:${kdc().env.KRB5_CONFIG}`;
    const config = await loadKrb5Config(undefined, { env: { KRB5_CONFIG: list } });
    expect(config.libdefaults.udpPreferenceLimit).toBe(1);
    const r = await sendToKdc(kdc().realm, buildAsReq('alice', kdc().realm), { config, deadlineMs: 5000 });
    expect(r.protocol).toBe('tcp');
    expect(r.attempts.map((a) => `${a.outcome} ${a.address}`)).toEqual([`reply tcp/127.0.0.1:${kdc().port}`]);
    expectPreauthRequired(r.reply);

    // MIT reads the same two files the same way: its trace shows TCP only.
    const traceFile = join(dir, 'kinit-tcp.trace');
    const result = await kinit(kdc(), 'alice', kdc().passwords.alice!, {
      ccache: `FILE:${join(dir, 'tcp-ccache')}`,
    });
    expect(result.code).toBe(0);
    const run = await kdc().run('kinit', ['alice'], {
      input: `${kdc().passwords.alice}\n`,
      env: { KRB5_CONFIG: list, KRB5_TRACE: traceFile, KRB5CCNAME: `FILE:${join(dir, 'tcp-ccache')}` },
    });
    expect(run.code).toBe(0);
    const trace = readFileSync(traceFile, 'utf8');
    expect(trace).toMatch(/Sending TCP request to stream 127\.0\.0\.1:\d+/);
    expect(trace).not.toMatch(/Sending initial UDP request/);
  });

  it('kinit gets a TGT through a UDP relay built on UdpTransport; its AS-REQ, re-sent by us, gets the same answer', async () => {
    const captured: Uint8Array[] = [];
    const relay: UdpSocket = createSocket('udp4');
    await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', () => resolve()));
    const upstream = new UdpTransport({ host: '127.0.0.1', port: kdc().port });
    relay.on('message', (message, from) => {
      captured.push(new Uint8Array(message));
      upstream.send(new Uint8Array(message), { timeoutMs: 5000 }).then(
        (reply) => relay.send(reply, from.port, from.address),
        () => {},
      );
    });
    try {
      const conf = join(dir, 'via-relay.conf');
      const original = readFileSync(kdc().env.KRB5_CONFIG!, 'utf8');
      writeFileSync(
        conf,
        original.replace(`kdc = 127.0.0.1:${kdc().port}`, `kdc = 127.0.0.1:${relay.address().port}`),
      );
      const ccache = `FILE:${join(dir, 'relay-ccache')}`;
      const result = await kdc().run('kinit', ['alice'], {
        input: `${kdc().passwords.alice}\n`,
        env: { KRB5_CONFIG: conf, KRB5CCNAME: ccache },
      });
      expect(result.code).toBe(0);
      expect((await klist(kdc(), { ccache })).stdout).toContain(`krbtgt/${kdc().realm}@${kdc().realm}`);
      // kinit sent AS-REQ (no preauth), then AS-REQ with PA-ENC-TIMESTAMP: both through the relay
      expect(captured.length).toBeGreaterThanOrEqual(2);
      expect(captured.every((m) => m[0] === 0x6a)).toBe(true); // [APPLICATION 10] AS-REQ

      const config = await loadKrb5Config(kdc().env.KRB5_CONFIG!);
      const r = await sendToKdc(kdc().realm, captured[0]!, { config, deadlineMs: 5000 });
      expectPreauthRequired(r.reply);
    } finally {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });
});

describe('KRB_ERR_RESPONSE_TOO_BIG from a real krb5kdc', () => {
  let child: ChildProcess | undefined;
  let port = 0;
  const killChild = (): void => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  beforeAll(async () => {
    // A second krb5kdc on the same database, whose UDP replies are all "too big".
    port = await findFreePort();
    const kdcConf = readFileSync(kdc().files.kdcConf, 'utf8')
      .replaceAll(`127.0.0.1:${kdc().port}`, `127.0.0.1:${port}`)
      .replace('[kdcdefaults]', '[kdcdefaults]\n\tkdc_max_dgram_reply_size = 10')
      .replaceAll(kdc().files.log, join(dir, 'kdc2.log'));
    const profile = join(dir, 'kdc2.conf');
    writeFileSync(profile, kdcConf);
    child = spawn(requireCommand('krb5kdc', 'MIT krb5kdc'), ['-n', '-r', kdc().realm], {
      env: { ...process.env, ...kdc().env, KRB5_KDC_PROFILE: profile },
      stdio: 'ignore',
    });
    process.once('exit', killChild);
    // Ready when it answers over TCP.
    const probe = new TcpTransport({ host: '127.0.0.1', port });
    for (let i = 0; ; i++) {
      try {
        await probe.send(buildAsReq('alice', kdc().realm), { timeoutMs: 500 });
        break;
      } catch (error) {
        if (i > 60 || child.exitCode !== null)
          throw new Error(`the second krb5kdc did not start: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 20_000);

  afterAll(async () => {
    const c = child;
    if (c !== undefined && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      // krb5kdc can take seconds to shut down: give it a moment, then SIGKILL (as mit-kdc.sh does).
      const timer = setTimeout(() => c.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killChild);
  });

  it('MIT answers UDP with error 52; sendToKdc retries over TCP and gets PREAUTH_REQUIRED', async () => {
    const request = buildAsReq('alice', kdc().realm);
    const udpReply = await new UdpTransport({ host: '127.0.0.1', port }).send(request, { timeoutMs: 3000 });
    expect(summarizeKrbError(udpReply)?.errorCode).toBe(ErrorCode.KRB_ERR_RESPONSE_TOO_BIG);
    console.info(
      `MIT over UDP with kdc_max_dgram_reply_size = 10: ${JSON.stringify(summarizeKrbError(udpReply))}`,
    );

    // A new request (new nonce): krb5kdc 1.20 exits when this very request is retransmitted
    // over UDP while kdc_max_dgram_reply_size turns its cached reply into RESPONSE_TOO_BIG.
    const r = await sendToKdc(kdc().realm, buildAsReq('alice', kdc().realm), {
      kdcs: [
        {
          source: 'config',
          address: { kind: 'host', transport: 'any', host: '127.0.0.1', port, spec: 'kdc2' },
        },
      ],
      deadlineMs: 5000,
    });
    expect(r.attempts.map((a) => `${a.outcome} ${a.address}`)).toEqual([
      `response-too-big udp/127.0.0.1:${port}`,
      `reply tcp/127.0.0.1:${port}`,
    ]);
    expectPreauthRequired(r.reply);
  });
});
