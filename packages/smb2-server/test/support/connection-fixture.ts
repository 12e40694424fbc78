/**
 * Servers and clients for the tests over a real socket: a temporary directory shared as
 * `share`, servers on port 0 with the in-process Kerberos keytab, and test clients that
 * log on with its tickets. Call `connectionFixture` at a test file's top level: it registers
 * the hooks that make the directory before all tests, close every client and server after
 * each test, and remove the directory after all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NtStatus } from '@postntlm/smb2-protocol';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { SmbServerOptions } from '../../src/core/options.js';
import { createSmbServer, type SmbServer } from '../../src/index.js';
import { type ClientSession, TestSmbClient } from './smb-client.js';
import { type TicketFixture, ticketFixture } from './tickets.js';

/** The session and tree ids a request on the `share` tree carries. */
export interface TreeIds {
  readonly sessionId: bigint;
  readonly treeId: number;
}

export interface ConnectionFixture {
  readonly tickets: TicketFixture;
  /** The shared directory (made by the fixture's beforeAll). */
  readonly dir: string;
  /** A listening server sharing `dir` as `share`, with `options` added; returns its port. */
  server(options?: Partial<SmbServerOptions>): Promise<number>;
  /** A client connected to `port`, nothing sent yet. */
  client(port: number): Promise<TestSmbClient>;
  /** A connected, negotiated client with one session of `name`. */
  loggedOn(port: number, name?: string): Promise<{ c: TestSmbClient; session: ClientSession }>;
  /** A logged-on client (alice) with a tree of `share`. */
  connected(port: number): Promise<{ c: TestSmbClient; session: ClientSession; ids: TreeIds }>;
}

export function connectionFixture(dirPrefix: string): ConnectionFixture {
  const tickets = ticketFixture();
  let dir: string | undefined;
  const servers: SmbServer[] = [];
  const clients: TestSmbClient[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), dirPrefix));
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) await s.close();
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const fixture: ConnectionFixture = {
    tickets,
    get dir(): string {
      if (dir === undefined) throw new Error('the shared directory is made in beforeAll');
      return dir;
    },
    async server(options = {}) {
      const s = createSmbServer({
        keytab: tickets.keytab,
        shares: [{ name: 'share', path: fixture.dir }],
        ...options,
      });
      servers.push(s);
      return (await s.listen({ port: 0 })).port;
    },
    async client(port) {
      const c = await TestSmbClient.connect(port);
      clients.push(c);
      return c;
    },
    async loggedOn(port, name = 'alice') {
      const c = await fixture.client(port);
      expect((await c.negotiate()).header.status).toBe(NtStatus.SUCCESS);
      const { response, session } = await c.sessionSetup(tickets.ticket(name));
      expect(response.header.status).toBe(NtStatus.SUCCESS);
      if (session === undefined) throw new Error('no session');
      return { c, session };
    },
    async connected(port) {
      const { c, session } = await fixture.loggedOn(port);
      const treeId = (await c.treeConnect(session.id)).header.treeId ?? 0;
      return { c, session, ids: { sessionId: session.id, treeId } };
    },
  };
  return fixture;
}
