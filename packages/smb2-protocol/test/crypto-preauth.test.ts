import { setBackend } from '@postntlm/krb5-crypto/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dialect } from '../src/crypto/constants.js';
import { deriveSessionKeys } from '../src/crypto/kdf.js';
import { PreauthHash } from '../src/crypto/preauth.js';
import { BACKENDS, hex, splitAt, toHex, vector } from './vectors/load.js';

const v = vector('ms-blog-smb311-preauth-integrity.json');

afterAll(() => setBackend('auto'));

describe.each(BACKENDS)('3.1.1 preauth integrity (MS blog vectors) on the %s backend', (name) => {
  beforeAll(() => setBackend(name));

  it('chains connection then session, and the signing key follows', () => {
    const connection = new PreauthHash();
    expect(toHex(connection.value)).toBe(v.initial_hash_hex);
    const steps = v.steps as { message: string; message_hex: string; preauth_hash_after_hex: string }[];
    let session: PreauthHash | undefined;
    for (const [i, step] of steps.entries()) {
      if (i === 2) session = connection.fork();
      const chain = session ?? connection;
      const msg = hex(step.message_hex);
      expect(toHex(chain.update(i % 2 === 0 ? msg : splitAt(msg, 64, 100))), step.message).toBe(
        step.preauth_hash_after_hex,
      );
    }
    expect(toHex(connection.value)).toBe(v.connection_preauth_hash_hex);
    expect(toHex(session!.value)).toBe(v.session_preauth_hash_hex);
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB_3_1_1,
      sessionKey: hex(v.session_key_hex),
      preauthHash: session!.value,
      role: 'client',
    });
    expect(toHex(keys.signingKey)).toBe(v.signing_key_hex);
  });

  it('starts from a given value and copies it', () => {
    const start = hex(v.connection_preauth_hash_hex);
    const h = new PreauthHash(start);
    start.fill(0);
    expect(toHex(h.update(hex(v.steps[2].message_hex)))).toBe(v.steps[2].preauth_hash_after_hex);
    expect(() => new PreauthHash(new Uint8Array(63))).toThrow();
  });
});
