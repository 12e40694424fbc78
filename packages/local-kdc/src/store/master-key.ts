/**
 * The master key that encrypts every principal key at rest (MIT's K/M and its stash file),
 * and the sealing of one principal key under it: AES-256-GCM with the principal name,
 * enctype and kvno as associated data, so a sealed key moved to another record or kvno
 * fails to open instead of becoming that principal's key.
 */
import { open as openFile, readFile, rename, rm, stat } from 'node:fs/promises';
import { IntegrityError } from '@postntlm/krb5-crypto';
import { getBackend } from '@postntlm/krb5-crypto/primitives';
import { DatabaseError } from './errors.js';

/** File magic of a stash file, then a 4-byte master kvno and the 32-byte key. */
const STASH_MAGIC = new TextEncoder().encode('LKDC-MK1');
const STASH_LENGTH = STASH_MAGIC.length + 4 + 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface MasterKey {
  /** Version of the master key (1 at setup; reserved for re-keying). */
  readonly kvno: number;
  /** 32 bytes, AES-256. */
  readonly bytes: Uint8Array;
}

export function generateMasterKey(): MasterKey {
  return { kvno: 1, bytes: getBackend().randomBytes(32) };
}

/** Writes the stash file: created exclusively with mode 0600, flushed, then renamed into place. */
export async function writeStash(path: string, key: MasterKey): Promise<void> {
  const bytes = new Uint8Array(STASH_LENGTH);
  bytes.set(STASH_MAGIC);
  new DataView(bytes.buffer).setUint32(STASH_MAGIC.length, key.kvno);
  bytes.set(key.bytes, STASH_MAGIC.length + 4);
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await openFile(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.chmod(0o600);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Reads the stash file; refuses one that others can read (as a secret file must not be). */
export async function readStash(path: string): Promise<MasterKey> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0) {
      throw new DatabaseError(
        'corrupt',
        `${path} is readable by others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof DatabaseError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DatabaseError('not-initialised', `no stash file ${path}: run setup first`, { cause: e });
    }
    throw e;
  }
  if (bytes.length !== STASH_LENGTH || STASH_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DatabaseError('corrupt', `${path} is not a Local KDC stash file`);
  }
  const kvno = new DataView(bytes.buffer, bytes.byteOffset).getUint32(STASH_MAGIC.length);
  return { kvno, bytes: bytes.slice(STASH_MAGIC.length + 4) };
}

/** nonce ‖ ciphertext ‖ tag. */
export function seal(master: MasterKey, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const backend = getBackend();
  const nonce = backend.randomBytes(NONCE_BYTES);
  const { ciphertext, tag } = backend.aesGcmSeal(master.bytes, nonce, plaintext, aad);
  const out = new Uint8Array(NONCE_BYTES + ciphertext.length + TAG_BYTES);
  out.set(nonce);
  out.set(ciphertext, NONCE_BYTES);
  out.set(tag, NONCE_BYTES + ciphertext.length);
  return out;
}

/** Opens what `seal` made; `DatabaseError('master-key-mismatch')` when the key or the associated data differ. */
export function unseal(master: MasterKey, sealed: Uint8Array, aad: Uint8Array, what: string): Uint8Array {
  if (sealed.length < NONCE_BYTES + TAG_BYTES)
    throw new DatabaseError('corrupt', `${what}: sealed key too short`);
  try {
    return getBackend().aesGcmOpen(
      master.bytes,
      sealed.subarray(0, NONCE_BYTES),
      sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES),
      sealed.subarray(sealed.length - TAG_BYTES),
      aad,
    );
  } catch (e) {
    if (e instanceof IntegrityError) {
      throw new DatabaseError('master-key-mismatch', `${what}: does not open with the stashed master key`, {
        cause: e,
      });
    }
    throw e;
  }
}
