/**
 * Oplock breaks over real sockets (MS-SMB2 §3.3.4.6, §3.3.5.22.1): the notification is sent
 * on the holder's connection, unsolicited (MessageId all 0xFF, TreeId 0, the holder's
 * SessionId, no credits, unsigned); the conflicting CREATE answers STATUS_PENDING and
 * completes once the holder acknowledges; the holder's connection going away ends the wait.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessMask,
  Command,
  CreateDisposition,
  type CreateResponse,
  createRequest,
  type FileId,
  HeaderFlags,
  NtStatus,
  OPLOCK_BREAK_MESSAGE_ID,
  type OplockBreakResponse,
  OplockLevel,
  oplockBreakRequest,
  ShareAccess,
} from '@postntlm/smb2-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSmbServer, type SmbServer } from '../src/index.js';
import { TestSmbClient } from './support/smb-client.js';
import { ticketFixture } from './support/tickets.js';

const tickets = ticketFixture();
let dir: string;
const servers: SmbServer[] = [];
const clients: TestSmbClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smb2-oplock-conn-'));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function server(): Promise<number> {
  const s = createSmbServer({
    keytab: tickets.keytab,
    shares: [{ name: 'share', path: dir }],
    limits: { oplockBreakTimeoutMs: 10_000 },
  });
  servers.push(s);
  return (await s.listen({ port: 0 })).port;
}

async function connected(port: number) {
  const c = await TestSmbClient.connect(port);
  clients.push(c);
  await c.negotiate();
  const { session } = await c.sessionSetup(tickets.ticket('alice'));
  if (session === undefined) throw new Error('no session');
  const treeId = (await c.treeConnect(session.id)).header.treeId ?? 0;
  const ids = { sessionId: session.id, treeId };
  const create = (name: string, requestedOplockLevel: number) =>
    c.request(
      Command.CREATE,
      createRequest,
      {
        requestedOplockLevel,
        impersonationLevel: 2,
        desiredAccess: AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        fileAttributes: 0,
        shareAccess: ShareAccess.READ | ShareAccess.WRITE | ShareAccess.DELETE,
        createDisposition: CreateDisposition.OPEN_IF,
        name,
        createOptions: 0,
        createContexts: [],
      },
      ids,
    );
  const ack = (fileId: FileId, oplockLevel: number) =>
    c.request(Command.OPLOCK_BREAK, oplockBreakRequest, { kind: 'oplock', fileId, oplockLevel }, ids);
  return { c, session, ids, create, ack };
}

describe('oplock break notifications', () => {
  it('goes to the holder unsolicited and unsigned; the acknowledgment lets the waiting CREATE finish', async () => {
    const port = await server();
    const a = await connected(port);
    const b = await connected(port);
    const h1 = (await a.create('batch.bin', OplockLevel.BATCH)).body as CreateResponse;
    expect(h1.oplockLevel).toBe(OplockLevel.BATCH);
    const notified = a.c.receive(OPLOCK_BREAK_MESSAGE_ID);
    const second = b.create('batch.bin', OplockLevel.BATCH);
    const n = await notified;
    expect(n.header.command).toBe(Command.OPLOCK_BREAK);
    expect(n.header.sessionId).toBe(a.session.id);
    expect(n.header.treeId).toBe(0);
    expect(n.header.credits).toBe(0);
    expect(n.header.flags & HeaderFlags.SIGNED).toBe(0);
    expect(n.body).toMatchObject({ kind: 'oplock', oplockLevel: OplockLevel.II, fileId: h1.fileId });
    const r = await a.ack(h1.fileId, OplockLevel.II);
    expect(r.header.status).toBe(NtStatus.SUCCESS);
    expect((r.body as OplockBreakResponse & { oplockLevel: number }).oplockLevel).toBe(OplockLevel.II);
    const done = await second;
    expect(done.header.status).toBe(NtStatus.SUCCESS);
    expect(done.header.flags & HeaderFlags.ASYNC_COMMAND).not.toBe(0);
    expect((done.body as CreateResponse).oplockLevel).toBe(OplockLevel.II);
  });

  it('the holder on the same connection acknowledges while its own CREATE waits', async () => {
    const port = await server();
    const a = await connected(port);
    const h1 = (await a.create('self.bin', OplockLevel.BATCH)).body as CreateResponse;
    const notified = a.c.receive(OPLOCK_BREAK_MESSAGE_ID);
    const second = a.create('self.bin', OplockLevel.BATCH);
    await notified;
    expect((await a.ack(h1.fileId, OplockLevel.II)).header.status).toBe(NtStatus.SUCCESS);
    expect(((await second).body as CreateResponse).oplockLevel).toBe(OplockLevel.II);
  });

  it("the holder's connection going away ends the wait: the CREATE gets the oplock", async () => {
    const port = await server();
    const a = await connected(port);
    const b = await connected(port);
    await a.create('gone.bin', OplockLevel.BATCH);
    const notified = a.c.receive(OPLOCK_BREAK_MESSAGE_ID);
    const second = b.create('gone.bin', OplockLevel.BATCH);
    await notified;
    a.c.close();
    const done = await second;
    expect(done.header.status).toBe(NtStatus.SUCCESS);
    expect((done.body as CreateResponse).oplockLevel).toBe(OplockLevel.BATCH);
  });
});
