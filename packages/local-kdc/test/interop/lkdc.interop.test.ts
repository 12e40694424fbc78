/**
 * Acceptance of the `lkdc` executable with a real peer: every step an administrator takes
 * is a separate `node bin/lkdc.mjs ...` process over one state directory — `setup` (realm
 * generated, host files.test, TCP/UDP on free ports and a Unix socket), `principal add`,
 * `serve --json` (a child process until SIGTERM), `krb5conf`, `lockout`, `principal modify`,
 * `status` — and MIT krb5 1.20's kinit / klist / kvno talk to the KDC it serves, with the
 * client profiles `lkdc krb5conf` prints.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIT_ENCTYPE_NAMES, type RunResult, requireCommand } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/index.js';
import {
  allSettled,
  eventSummary,
  krbEnv,
  type LkdcServe,
  lkdcOk,
  readAuditLog,
  requireLkdcBuild,
  type ServeReady,
  settledAuditLog,
  show,
  startServe,
  tool,
} from './our-kdc.js';

const HOST = 'files.test';
const SERVICE = `cifs/${HOST}`;
const PASSWORDS = {
  alice: 'alice-Passw0rd',
  bob: 'bob-Passw0rd',
  carol: 'carol-Passw0rd',
} as const;
const ETYPES = [17, 18, 19, 20] as const;
const TRANSPORTS = ['tcp', 'udp'] as const;

let dir: string;
let state: string;
let auditLog: string;
let realm: string;
let serve: LkdcServe | undefined;
let ready: ServeReady;
/** `lkdc krb5conf --transport T` output, as printed. */
const confs: Record<(typeof TRANSPORTS)[number], string> = { tcp: '', udp: '' };
/** Every MIT tool run writes its own trace file here; the sent requests are counted from them. */
let traces: string;
let runs = 0;

/** `lkdc ARGS --state STATE`, failing unless it exits 0. */
const admin = (args: readonly string[], input?: string): Promise<RunResult> =>
  lkdcOk([...args, '--state', state], input);

beforeAll(async () => {
  await requireLkdcBuild();
  for (const c of ['kinit', 'klist', 'kvno']) requireCommand(c, `MIT ${c} (krb5-user)`);
  dir = await mkdtemp(join(tmpdir(), 'local-kdc-lkdc-'));
  state = join(dir, 'state');
  traces = join(dir, 'traces');
  await mkdir(traces);
  const setup = await lkdcOk([
    'setup',
    '--state',
    state,
    '--host',
    HOST,
    '--listen',
    'tcp:127.0.0.1:0',
    '--listen',
    'udp:127.0.0.1:0',
    '--listen',
    `unix:${join(state, 'kdc.sock')}`,
    '--json',
  ]);
  const result = JSON.parse(setup.stdout) as { realm: string; config: { audit: string } };
  realm = result.realm;
  auditLog = result.config.audit;
  // Separate processes on one database at once (LMDB serialises the writers).
  await allSettled(
    Object.entries(PASSWORDS).map(([name, password]) =>
      admin(['principal', 'add', name, '--password-stdin'], `${password}\n`),
    ),
  );
  serve = await startServe(state);
  ready = serve.ready;
  await allSettled(
    TRANSPORTS.map(async (t) => {
      const r = await admin(['krb5conf', '--transport', t]);
      confs[t] = r.stdout;
      await writeFile(join(dir, `krb5-${t}.conf`), r.stdout);
    }),
  );
}, 30_000);

afterAll(async () => {
  try {
    if (serve !== undefined) {
      // SIGTERM: lkdc serve closes its listeners, removes runtime.json and exits 0.
      await serve.daemon.stop();
      const code = await serve.daemon.exited;
      expect(code, `lkdc serve stderr: ${serve.daemon.stderr()}`).toBe(0);
      expect(serve.daemon.stderr()).toContain('lkdc: stopping (SIGTERM)');
      expect(existsSync(join(state, 'runtime.json'))).toBe(false);
    }
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}, 20_000);

/** A copy of `lkdc krb5conf --transport T` with `lines` added to [libdefaults]. */
async function profile(name: string, transport: (typeof TRANSPORTS)[number], lines: readonly string[] = []) {
  const text = confs[transport].replace(
    '[libdefaults]\n',
    `[libdefaults]\n${lines.map((l) => `    ${l}\n`).join('')}`,
  );
  const path = join(dir, `${name}.conf`);
  await writeFile(path, text);
  return path;
}

const enctypeLines = (etype: number): string[] =>
  ['default_tkt_enctypes', 'default_tgs_enctypes', 'permitted_enctypes'].map(
    (k) => `${k} = ${MIT_ENCTYPE_NAMES[etype]}`,
  );

/** An MIT tool with this profile and cache, traced into its own file. */
function mit(cmd: string, args: readonly string[], conf: string, cache: string, input?: string) {
  const trace = join(traces, `${String(++runs).padStart(3, '0')}-${cmd}.trace`);
  return tool(cmd, args, krbEnv({ dir }, conf, join(dir, cache), trace), input);
}

/** The audit events the KDC logged since `from` (waiting for at least `count`). */
async function eventsSince(from: number, count = 0): Promise<AuditEvent[]> {
  return (await settledAuditLog(auditLog, from + count)).slice(from);
}

const principal = (name: string) => `${name}@${realm}`;
const KRBTGT = () => `krbtgt/${realm}@${realm}`;

describe('the lkdc executable as a KDC for MIT kinit / klist / kvno', () => {
  it('lkdc serve --json: ready line with the bound addresses; runtime.json; krb5conf per transport', async () => {
    expect(ready.event).toBe('ready');
    expect(ready.realm).toBe(realm);
    expect(realm).toMatch(/^LOCALKDC\.[0-9A-F-]{36}$/);
    expect(ready.listen).toHaveLength(3);
    const [tcp, udp, unix] = ready.listen;
    expect(tcp).toMatch(/^tcp:127\.0\.0\.1:[1-9]\d*$/);
    expect(udp).toMatch(/^udp:127\.0\.0\.1:[1-9]\d*$/);
    expect(unix).toBe(`unix:${join(state, 'kdc.sock')}`);
    const runtime = JSON.parse(await readFile(join(state, 'runtime.json'), 'utf8')) as {
      pid: number;
      listen: string[];
    };
    expect(runtime.pid).toBe(serve?.daemon.child.pid);
    expect(runtime.listen).toEqual(ready.listen);
    expect(confs.udp).toContain(`default_realm = ${realm}`);
    expect(confs.udp).toContain(`kdc = 127.0.0.1:${udp?.split(':')[2]}`);
    expect(confs.udp).not.toContain('udp_preference_limit');
    expect(confs.tcp).toContain(`kdc = 127.0.0.1:${tcp?.split(':')[2]}`);
    expect(confs.tcp).toContain('udp_preference_limit = 1');
    expect(confs.tcp).toContain(`${HOST} = ${realm}`);
  });

  it('lkdc status --json while serving: running, the principals, the listeners', async () => {
    const r = await admin(['status', '--json']);
    const status = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(status, r.stdout).toMatchObject({
      realm,
      host: HOST,
      running: true,
      pid: serve?.daemon.child.pid,
      // krbtgt, host/files.test and cifs/files.test from setup; alice, bob and carol.
      principals: 6,
      users: 3,
      services: 3,
      lockedOut: [],
      disabled: [],
    });
    const listeners = status.listeners as { address: string; answering?: boolean }[];
    expect(listeners.map((l) => l.address)).toEqual(ready.listen);
    expect(listeners.filter((l) => !l.address.startsWith('udp:')).every((l) => l.answering === true)).toBe(
      true,
    );
    console.log(`lkdc status --json:\n${r.stdout}`);
  });

  for (const transport of TRANSPORTS) {
    it.each(ETYPES)(
      `over ${transport}: kinit alice gets a TGT of enctype %i, klist -e shows it, kvno ${SERVICE}`,
      async (etype) => {
        const name = `${transport}-${etype}`;
        const conf = await profile(name, transport, enctypeLines(etype));
        const cc = `cc-${name}`;
        const from = (await readAuditLog(auditLog)).length;
        const k = await mit('kinit', ['alice'], conf, cc, `${PASSWORDS.alice}\n`);
        expect(k.code, show(k)).toBe(0);
        const l = await mit('klist', ['-e'], conf, cc);
        expect(l.code, show(l)).toBe(0);
        expect(l.stdout).toContain(`Default principal: ${principal('alice')}`);
        expect(l.stdout).toContain(KRBTGT());
        expect(l.stdout).toMatch(new RegExp(`Etype \\(skey, tkt\\): ${MIT_ENCTYPE_NAMES[etype]}, `));
        const v = await mit('kvno', [SERVICE], conf, cc);
        expect(v.code, show(v)).toBe(0);
        expect(v.stdout).toContain(`${SERVICE}@${realm}: kvno = 1`);
        const l2 = await mit('klist', ['-e'], conf, cc);
        expect(l2.stdout).toContain(`${SERVICE}@${realm}`);
        expect(
          l2.stdout.match(new RegExp(`Etype \\(skey, tkt\\): ${MIT_ENCTYPE_NAMES[etype]}, `, 'g')),
        ).toHaveLength(2);

        // What the KDC logged: preauth needed, the TGT, the service ticket — all over this transport.
        const events = await eventsSince(from, 3);
        const why = eventSummary(events).join('\n');
        expect(eventSummary(events), why).toEqual([
          `as_req NEEDED_PREAUTH ${transport} ${principal('alice')} -> ${KRBTGT()}`,
          `as_req ISSUE ${transport} ${principal('alice')} -> ${KRBTGT()}`,
          `tgs_req ISSUE ${transport} ${principal('alice')} -> ${SERVICE}@${realm}`,
        ]);
        expect(events[1]?.rep_etype, why).toBe(etype);
        expect(events[1]?.['rep.ticket']?.sess_etype, why).toBe(etype);
        expect(events[2]?.['rep.ticket']?.sess_etype, why).toBe(etype);
        if (etype === 20) console.log(`MIT over ${transport}:\n${l2.stdout}${v.stdout}${why}`);
      },
    );
  }

  it.each([
    ['wrong password', 'alice', 'not-the-password', 'Password incorrect', 'PREAUTH_FAILED'],
    ['unknown user', 'nobody', 'whatever-password', 'not found in Kerberos database', 'CLIENT_NOT_FOUND'],
  ] as const)('MIT kinit prints its own message for a %s', async (_what, user, password, message, status) => {
    const conf = await profile(`err-${user}`, 'udp');
    const from = (await readAuditLog(auditLog)).length;
    const r = await mit('kinit', [user], conf, `cc-err-${user}`, `${password}\n`);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain(message);
    const events = await eventsSince(from, 1);
    expect(eventSummary(events).at(-1)).toMatch(new RegExp(`^as_req ${status} udp ${principal(user)} `));
    console.log(`MIT kinit ${user}: ${r.stderr.trim()}`);
  });

  it('lkdc lockout --max-failures 3: the 4th kinit is refused, lkdc principal modify --unlock lets bob in', async () => {
    const policy = await admin(['lockout', '--max-failures', '3', '--json']);
    expect(JSON.parse(policy.stdout)).toMatchObject({ maxFailures: 3 });
    const conf = await profile('lockout', 'udp');
    const from = (await readAuditLog(auditLog)).length;
    for (let i = 1; i <= 3; i++) {
      const r = await mit('kinit', ['bob'], conf, 'cc-bob', 'wrong-password-for-bob\n');
      expect(r.code, `attempt ${i}\n${show(r)}`).toBe(1);
      expect(r.stderr, `attempt ${i}`).toContain('Password incorrect');
    }
    const locked = await mit('kinit', ['bob'], conf, 'cc-bob', `${PASSWORDS.bob}\n`);
    expect(locked.code, show(locked)).toBe(1);
    expect(locked.stderr).toContain('credentials have been revoked');
    console.log(`MIT kinit bob (locked out): ${locked.stderr.trim()}`);

    const status = JSON.parse((await admin(['status', '--json'])).stdout) as { lockedOut: string[] };
    expect(status.lockedOut).toEqual([principal('bob')]);
    // Each wrong password: NEEDED_PREAUTH, then PREAUTH_FAILED; then KDC_ERR_CLIENT_REVOKED (18) at once.
    const events = (await eventsSince(from, 7)).filter((e) => e.kdc_status !== 'NEEDED_PREAUTH');
    expect(eventSummary(events)).toEqual([
      ...Array<string>(3).fill(`as_req PREAUTH_FAILED udp ${principal('bob')} -> ${KRBTGT()}`),
      `as_req LOCKED_OUT udp ${principal('bob')} -> ${KRBTGT()}`,
    ]);
    expect(events.map((e) => e.error_code)).toEqual([24, 24, 24, 18]);

    await admin(['principal', 'modify', 'bob', '--unlock']);
    const r = await mit('kinit', ['bob'], conf, 'cc-bob', `${PASSWORDS.bob}\n`);
    expect(r.code, show(r)).toBe(0);
    const l = await mit('klist', [], conf, 'cc-bob');
    expect(l.stdout).toContain(`Default principal: ${principal('bob')}`);
  });

  it('lkdc principal modify --disable: kinit carol is refused with the right password', async () => {
    const conf = await profile('disabled', 'tcp');
    const before = await mit('kinit', ['carol'], conf, 'cc-carol', `${PASSWORDS.carol}\n`);
    expect(before.code, show(before)).toBe(0);
    await admin(['principal', 'modify', 'carol', '--disable']);
    const from = (await readAuditLog(auditLog)).length;
    const r = await mit('kinit', ['carol'], conf, 'cc-carol', `${PASSWORDS.carol}\n`);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain('credentials have been revoked');
    console.log(`MIT kinit carol (disabled): ${r.stderr.trim()}`);
    const status = JSON.parse((await admin(['status', '--json'])).stdout) as { disabled: string[] };
    expect(status.disabled).toEqual([principal('carol')]);
    const events = await eventsSince(from, 1);
    expect(eventSummary(events)).toEqual([`as_req LOCKED_OUT tcp ${principal('carol')} -> ${KRBTGT()}`]);
    expect(events[0]?.error_code).toBe(18);
  });

  it('the audit log: one JSON object per line, one line per request the MIT tools sent', async () => {
    // MIT traces each transmission: "Sending initial UDP request", "Sending retry UDP request", "Sending TCP request".
    let sent = 0;
    for (const f of await readdir(traces)) {
      const text = await readFile(join(traces, f), 'utf8');
      sent += text.match(/Sending (initial UDP|retry UDP|TCP) request to/g)?.length ?? 0;
    }
    await settledAuditLog(auditLog, sent);
    const raw = await readFile(auditLog, 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    const lines = raw.slice(0, -1).split('\n');
    for (const line of lines) {
      const event = JSON.parse(line) as unknown;
      expect(typeof event === 'object' && event !== null && !Array.isArray(event), line).toBe(true);
      expect(event).toMatchObject({ event_name: expect.stringMatching(/^(as|tgs)_req$/) });
      expect(event).toHaveProperty('kdc_status');
      expect(event).toHaveProperty('time');
    }
    expect(lines.length).toBe(sent);
    for (const password of Object.values(PASSWORDS)) expect(raw).not.toContain(password);
    console.log(`audit log: ${lines.length} lines for ${sent} requests from ${runs} MIT tool runs`);
  });
});
