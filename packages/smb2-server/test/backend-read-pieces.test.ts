/** LocalDirectoryBackend reads big requests as preads side by side: the bytes are those of the file, in order. */
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessMask, CreateDisposition, NtStatus, ShareAccess } from '@postntlm/smb2-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirectoryBackend, type OpenHandle, SmbStatusError } from '../src/backend/index.js';

const MiB = 1 << 20;
const content = randomBytes(5 * MiB + 12345);
let base: string;
let backend: LocalDirectoryBackend;
let handle: OpenHandle;

beforeAll(async () => {
  base = realpathSync(await mkdtemp(join(tmpdir(), 'smb2-read-pieces-')));
  await mkdir(join(base, 'share'));
  await writeFile(join(base, 'share', 'big.bin'), content);
  backend = await LocalDirectoryBackend.open(join(base, 'share'));
  ({ handle } = await backend.create({
    path: 'big.bin',
    desiredAccess: AccessMask.GENERIC_READ,
    shareAccess: ShareAccess.READ,
    disposition: CreateDisposition.OPEN,
  }));
});
afterAll(async () => {
  await backend.dispose();
  await rm(base, { recursive: true, force: true });
});

/** What readInto put in a fresh buffer of `length`, checked against the file. */
async function readAt(offset: number, length: number): Promise<number> {
  const into = new Uint8Array(length);
  const got = await backend.readInto?.(handle, BigInt(offset), into);
  if (got === undefined) throw new Error('no readInto');
  const want = content.subarray(offset, Math.min(content.length, offset + length));
  expect(got).toBe(want.length);
  expect(Buffer.from(into.buffer, 0, got).equals(want)).toBe(true);
  return got;
}

describe('LocalDirectoryBackend.readInto in pieces', () => {
  it('reads a whole multi-megabyte range', async () => {
    expect(await readAt(0, 4 * MiB)).toBe(4 * MiB);
    expect(await readAt(12345, 2 * MiB + 7)).toBe(2 * MiB + 7);
  });

  it('stops at the end of the file inside the second piece', async () => {
    expect(await readAt(3 * MiB, 4 * MiB)).toBe(content.length - 3 * MiB);
  });

  it('stops at the end of the file inside the first piece (the second reads nothing)', async () => {
    expect(await readAt(content.length - 100, 4 * MiB)).toBe(100);
  });

  it('is END_OF_FILE at the end', async () => {
    const p = readAt(content.length, 4 * MiB);
    await expect(p).rejects.toBeInstanceOf(SmbStatusError);
    await expect(p).rejects.toMatchObject({ status: NtStatus.END_OF_FILE });
  });
});
