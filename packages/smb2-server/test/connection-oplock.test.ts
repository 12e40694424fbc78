import {
  Command,
  type CreateResponse,
  createRequest,
  type FileId,
  HeaderFlags,
  NtStatus,
  OPLOCK_BREAK_MESSAGE_ID,
  type OplockBreakResponse,
  OplockLevel,
  oplockBreakRequest,
} from '@postntlm/smb2-protocol';
import { describe, expect, it } from 'vitest';
import { connectionFixture } from './support/connection-fixture.js';
import { createRequestFor } from './support/create-request.js';

const fixture = connectionFixture('smb2-oplock-conn-');
const server = () => fixture.server({ limits: { oplockBreakTimeoutMs: 10_000 } });

async function connected(port: number) {
  const { c, session, ids } = await fixture.connected(port);
  const create = (name: string, requestedOplockLevel: number) =>
    c.request(Command.CREATE, createRequest, createRequestFor(name, { requestedOplockLevel }), ids);
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
