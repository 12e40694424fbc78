import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAsExchange,
  createTgsExchange,
  fixedClock,
  runExchange,
  seededRandom,
} from '@postntlm/krb5-client';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, createKdc, fileAuditSink } from '../src/index.js';
import { buildStore, PASSWORDS, REALM, rejection, T0 } from './helpers.js';

const clock = fixedClock(T0);

describe('audit log (MIT audit field names, JSON lines)', () => {
  it('writes one JSON object per request with status, client and server', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lkdc-audit-'));
    try {
      const path = join(dir, 'audit.jsonl');
      const sink = fileAuditSink(path);
      const internal: unknown[] = [];
      const kdc = createKdc({
        realm: REALM,
        store: await buildStore(),
        clock,
        random: seededRandom(3),
        audit: sink,
        onInternalError: (e) => internal.push(e),
      });
      const send = async (_realm: string, bytes: Uint8Array) => {
        const reply = await kdc.handle(bytes, { transport: 'tcp', peer: '127.0.0.1:50123' });
        if (reply === null) throw new Error('dropped');
        return reply;
      };
      const as = (client: string, password: string) =>
        createAsExchange({
          client: `${client}@${REALM}`,
          credentials: { password },
          options: { etypes: [18], renewable: true },
          clock,
          random: seededRandom(1),
        });
      // 1, 2: PREAUTH_REQUIRED then the TGT.
      const tgt = await runExchange(as('alice', PASSWORDS.alice), send);
      // 3, 4: PREAUTH_REQUIRED then PREAUTH_FAILED.
      await rejection(runExchange(as('bob', 'wrong'), send));
      // 5: unknown client.
      await rejection(runExchange(as('nobody', 'x'), send));
      // 6: a service ticket.
      await runExchange(createTgsExchange({ tgt, server: `cifs/host.test@${REALM}`, clock }), send);
      // 7: an unknown service.
      await rejection(runExchange(createTgsExchange({ tgt, server: `nfs/none.test@${REALM}`, clock }), send));
      // 8: malformed AS-REQ (APPLICATION 10 around garbage); 9: not Kerberos (dropped).
      await kdc.handle(Uint8Array.from([0x6a, 0x03, 0x30, 0x01, 0x00]), {
        transport: 'unix',
        peer: '/run/kdc.sock',
      });
      await kdc.handle(Uint8Array.from([1, 2, 3]), { transport: 'udp', peer: '[::1]:4000' });
      await sink.close();

      expect(((await stat(path)).mode & 0o777).toString(8)).toBe('600');
      const text = await readFile(path, 'utf8');
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      const events = lines.map((l) => JSON.parse(l) as AuditEvent);
      expect(events.map((e) => [e.event_name, e.event_success, e.kdc_status])).toEqual([
        ['as_req', false, 'NEEDED_PREAUTH'],
        ['as_req', true, 'ISSUE'],
        ['as_req', false, 'NEEDED_PREAUTH'],
        ['as_req', false, 'PREAUTH_FAILED'],
        ['as_req', false, 'CLIENT_NOT_FOUND'],
        ['tgs_req', true, 'ISSUE'],
        ['tgs_req', false, 'SERVER_NOT_FOUND'],
        ['as_req', false, 'MALFORMED REQUEST'],
        ['other_req', false, 'DROPPED'],
      ]);
      const [needed, issued, , failed, unknown, st, noSvc, malformed, dropped] = events;
      expect(needed?.error_code).toBe(25);
      expect(needed?.fromaddr).toEqual({ type: 'ipv4', ip: '127.0.0.1' });
      expect(needed?.fromport).toBe(50123);
      expect(issued?.['req.client']).toEqual({ realm: REALM, length: 1, components: ['alice'] });
      expect(issued?.['req.server']).toEqual({ realm: REALM, length: 2, components: ['krbtgt', REALM] });
      expect(issued?.['req.avail_etypes']).toEqual([18]);
      expect(issued?.['req.pa_type']).toContain(2);
      expect(issued?.rep_etype).toBe(18);
      expect(issued?.['rep.ticket']).toMatchObject({
        cname: { components: ['alice'] },
        sname: { components: ['krbtgt', REALM] },
        sess_etype: 18,
        srv_etype: 20,
        start: Math.floor(T0 / 1000),
        authtime: Math.floor(T0 / 1000),
      });
      expect(issued?.['rep.ticket']?.renew_till).toBeGreaterThan(issued?.['rep.ticket']?.end ?? 0);
      expect(failed?.error_code).toBe(24);
      expect(failed?.['req.client']?.components).toEqual(['bob']);
      expect(unknown?.error_code).toBe(6);
      expect(unknown?.['req.client']?.components).toEqual(['nobody']);
      expect(st?.['req.client']?.components).toEqual(['alice']);
      expect(st?.['req.server']?.components).toEqual(['cifs', 'host.test']);
      expect(st?.['rep.ticket']).toMatchObject({
        sname: { components: ['cifs', 'host.test'] },
        srv_etype: 20,
      });
      expect(st?.tkt_renewed).toBe(false);
      expect(noSvc?.error_code).toBe(7);
      expect(noSvc?.['req.server']?.components).toEqual(['nfs', 'none.test']);
      expect(malformed).toMatchObject({
        error_code: 60,
        transport: 'unix',
        fromaddr: { type: 'unix', path: '/run/kdc.sock' },
      });
      expect(dropped).toMatchObject({
        transport: 'udp',
        fromaddr: { type: 'ipv6', ip: '::1' },
        fromport: 4000,
      });
      // No key material: no field carries key bytes or the password.
      expect(text).not.toContain(PASSWORDS.alice);
      expect(text).not.toMatch(/key(value|_bytes)|"bytes"/i);
      expect(internal).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a failing sink never affects the reply', async () => {
    const store = await buildStore();
    const errors: unknown[] = [];
    const request = createAsExchange({
      client: `alice@${REALM}`,
      credentials: { password: 'x' },
      clock,
    }).start();
    if (request.kind !== 'send') throw new Error('no request');
    for (const audit of [
      {
        write() {
          throw new Error('sync');
        },
      },
      { write: () => Promise.reject(new Error('async')) },
    ]) {
      const kdc = createKdc({
        realm: REALM,
        store,
        clock,
        random: seededRandom(3),
        audit,
        onInternalError: (e) => errors.push(e),
      });
      const reply = await kdc.handle(request.bytes, { transport: 'memory' });
      expect(reply?.[0]).toBe(0x7e); // KRB-ERROR (PREAUTH_REQUIRED)
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(errors.map((e) => (e as Error).message)).toEqual(['sync', 'async']);
  });
});
