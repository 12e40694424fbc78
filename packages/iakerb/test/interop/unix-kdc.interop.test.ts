/**
 * Acceptance (IAKerb issue, line 4, in part): our initiator against our acceptor over a
 * real TCP socket (gss-sample framing), the acceptor reaching the Local KDC over its Unix
 * socket (`listen(kdc, { unix })` + `networkTransport({ kdcs })` with a `kind: 'unix'`
 * address), in each dialect: draft (with realm discovery: the client name has no realm),
 * windows and mit-legacy. The KDC listens on the Unix socket only, and its audit shows
 * every request arriving over `unix` from the acceptor's connection: the client side has
 * no KDC transport at all.
 */
import { join } from 'node:path';
import type { LocatedKdc } from '@postntlm/krb5-client';
import { type KdcListener, listen } from '@postntlm/local-kdc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IakerbAcceptor,
  type IakerbDialect,
  type IakerbEvent,
  IakerbInitiator,
  networkTransport,
} from '../../src/index.js';
import { connectTo, runIakerbClient, serveIakerb, tempDir } from './gss-sample.js';
import {
  ALICE_PASSWORD,
  auditAtLeast,
  auditSummary,
  expectedExchange,
  type LocalRealm,
  localRealm,
  SERVICE,
} from './local-realm.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let local: LocalRealm;
let listener: KdcListener;
let socketPath: string;

beforeAll(async () => {
  work = await tempDir('iakerb-unix-');
  local = await localRealm();
  socketPath = join(work.dir, 'kdc.sock');
  listener = await listen(local.kdc, { unix: socketPath });
});
afterAll(async () => {
  await listener?.close();
  await work?.remove();
});

const CASES: readonly { dialect: IakerbDialect; discovery: boolean }[] = [
  { dialect: 'draft', discovery: true },
  { dialect: 'windows', discovery: false },
  { dialect: 'mit-legacy', discovery: false },
];

describe('our IAKerb initiator → our acceptor over TCP, the Local KDC over its Unix socket', () => {
  it.each(CASES)(
    'dialect $dialect (realm discovery: $discovery)',
    async ({ dialect, discovery }) => {
      const started = performance.now();
      const from = local.audit.length;
      const kdcs: Record<string, readonly LocatedKdc[]> = {
        [local.realm]: [{ address: { kind: 'unix', path: socketPath, spec: socketPath }, source: 'config' }],
      };
      const acceptorEvents: IakerbEvent[] = [];
      const initiatorEvents: IakerbEvent[] = [];
      const server = await serveIakerb(
        () =>
          new IakerbAcceptor({
            realm: local.realm,
            kdc: networkTransport({ kdcs }),
            keytab: local.keytab,
            onEvent: (e) => acceptorEvents.push(e),
          }),
      );
      try {
        const initiator = new IakerbInitiator({
          client: discovery ? 'alice' : `alice@${local.realm}`,
          credentials: { password: ALICE_PASSWORD },
          server: SERVICE,
          dialect,
          onEvent: (e) => initiatorEvents.push(e),
        });
        const socket = await connectTo(server.port);
        const message = `hello over ${dialect}`;
        const client = await runIakerbClient(socket, initiator, message).finally(() => socket.destroy());
        const served = await server.session;
        await auditAtLeast(local.audit, from + 3);
        const audit = local.audit.slice(from);
        const why = `audit:\n${auditSummary(audit).join('\n')}\nacceptor: ${acceptorEvents
          .map((e) => `${e.direction}:${e.type}`)
          .join(' ')}`;

        expect(client.micVerified).toBe(true);
        expect(served.message).toBe(message);
        expect(served.acceptor.dialect, why).toBe(dialect);
        expect(served.context.client).toMatchObject({ realm: local.realm, name: { nameString: ['alice'] } });
        expect(initiator.clientRealm).toBe(local.realm);
        // The KDC saw the three requests, all over its Unix socket (the only listener it has).
        expect(auditSummary(audit), why).toEqual(expectedExchange(local.realm, 'unix'));
        expect(audit.every((e) => e.transport === 'unix')).toBe(true);
        // Our acceptor sent them (kdc-out), and the initiator only ever produced context tokens.
        expect(acceptorEvents.filter((e) => e.direction === 'kdc-out').map((e) => e.type)).toEqual([
          'as-req',
          'as-req',
          'tgs-req',
        ]);
        expect(new Set(initiatorEvents.map((e) => e.direction))).toEqual(new Set(['out', 'in']));
        expect(initiatorEvents.map((e) => `${e.direction}:${e.type}`)).toEqual([
          ...(discovery ? ['out:realm-discovery', 'in:realm-discovery'] : []),
          'out:as-req',
          'in:krb-error',
          'out:as-req',
          'in:as-rep',
          'out:tgs-req',
          'in:tgs-rep',
          'out:ap-req',
          'in:ap-rep',
        ]);
        // Wire shape per dialect: framing of every token (draft, windows) or of the first only.
        const framedOut = client.tokensOut.map((t) => t.startsWith('60'));
        const framedIn = client.tokensIn.map((t) => t.startsWith('60'));
        if (dialect === 'mit-legacy') {
          expect(framedOut).toEqual([true, false, false, true]);
          expect(framedIn).toEqual([false, false, false, true]);
        } else {
          expect(framedOut.every(Boolean)).toBe(true);
          expect(framedIn.every(Boolean)).toBe(true);
        }
        console.log(
          `IAKerb ${dialect} over TCP, KDC over ${socketPath} (${Math.round(performance.now() - started)} ms):\n${auditSummary(audit).join('\n')}`,
        );
      } finally {
        await server.close();
      }
    },
    30_000,
  );
});
