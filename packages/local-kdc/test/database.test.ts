import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAsExchange,
  createTgsExchange,
  KerberosError,
  runExchange,
  seededRandom,
  systemClock,
} from '@postntlm/krb5-client';
import { stringToKey } from '@postntlm/krb5-crypto';
import { ErrorCode, parsePrincipal } from '@postntlm/krb5-messages';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKdc, DatabaseError, databasePaths, KdcDatabase } from '../src/index.js';
import { checkPrincipal } from '../src/store/records.js';
import { rejection, sender } from './helpers.js';

const REALM = 'LOCALKDC.DB.TEST';
let dir: string;
let now = Date.UTC(2026, 10, 22, 3, 0, 0);
const clock = () => now;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-kdc-db-'));
  now = Date.UTC(2026, 10, 22, 3, 0, 0);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function created(
  options: Partial<Parameters<typeof KdcDatabase.create>[1]> = {},
): Promise<KdcDatabase> {
  return KdcDatabase.create(join(dir, 'state'), { realm: REALM, now: clock, ...options });
}

function code(e: unknown): string {
  expect(e).toBeInstanceOf(DatabaseError);
  return (e as DatabaseError).code;
}

async function login(db: KdcDatabase, user: string, password: string): Promise<void> {
  const kdc = createKdc({ realm: db.realm, store: db });
  await runExchange(
    createAsExchange({ client: `${user}@${db.realm}`, credentials: { password }, clock: systemClock }),
    sender(kdc),
  );
}

describe('KdcDatabase.create / open', () => {
  it('creates a 0700 state directory, a 0600 stash and database, and krbtgt', async () => {
    const db = await created();
    const state = join(dir, 'state');
    const paths = databasePaths(state);
    expect((await stat(state)).mode & 0o777).toBe(0o700);
    expect((await stat(paths.stash)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.database)).mode & 0o777).toBe(0o700);
    expect((await stat(join(paths.database, 'data.mdb'))).mode & 0o777).toBe(0o600);
    expect(db.listPrincipals()).toEqual([`krbtgt/${REALM}@${REALM}`]);
    const info = db.principalInfo(`krbtgt/${REALM}`);
    expect(info.kind).toBe('service');
    expect(info.keys.map((k) => k.enctype).sort()).toEqual([17, 18, 19, 20]);
    expect(info.rid).toBe(1000);
    expect(db.domainSid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
    await db.close();
    expect(code(await rejection(created()))).toBe('already-initialised');
  });

  it('refuses a bad realm', async () => {
    for (const realm of ['', 'A B', 'A/B', 'A@B']) {
      expect(code(await rejection(KdcDatabase.create(join(dir, realm || 'empty'), { realm })))).toBe(
        'invalid-argument',
      );
    }
  });

  it('opens again with the stash; refuses a missing, world-readable or wrong stash', async () => {
    const state = join(dir, 'state');
    await (await created()).close();
    const db = await KdcDatabase.open(state);
    expect(db.realm).toBe(REALM);
    await db.close();

    expect(code(await rejection(KdcDatabase.open(join(dir, 'nothing'))))).toBe('not-initialised');
    const { stash } = databasePaths(state);
    await chmod(stash, 0o644);
    expect(code(await rejection(KdcDatabase.open(state)))).toBe('corrupt');
    await chmod(stash, 0o600);

    // another database's stash does not open this one
    const other = await KdcDatabase.create(join(dir, 'other'), { realm: REALM });
    await other.close();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(stash, await readFile(databasePaths(join(dir, 'other')).stash), { mode: 0o600 });
    expect(code(await rejection(KdcDatabase.open(state)))).toBe('master-key-mismatch');
    await writeFile(stash, new Uint8Array(10), { mode: 0o600 });
    expect(code(await rejection(KdcDatabase.open(state)))).toBe('corrupt');
  });
});

describe('principals', () => {
  it('derives password keys like MIT (string-to-key with the default salt) and keeps them sealed at rest', async () => {
    const db = await created();
    const info = await db.addPrincipal('alice', { password: 'alice-Passw0rd' });
    expect(info).toMatchObject({
      name: `alice@${REALM}`,
      kind: 'user',
      kvno: 1,
      requiresPreauth: true,
      disallowServer: true,
      noAuthDataRequired: false,
      disabled: false,
      failedLogins: 0,
      rid: 1001,
    });
    const entry = await db.get(parsePrincipal(`alice@${REALM}`));
    const expected = await stringToKey(18, 'alice-Passw0rd', `${REALM}alice`);
    expect(entry?.keys.find((k) => k.key.enctype === 18)?.key.bytes).toEqual(expected.bytes);
    await db.close();
    const raw = await readFile(join(databasePaths(join(dir, 'state')).database, 'data.mdb'));
    expect(Buffer.from(raw).includes(Buffer.from(expected.bytes))).toBe(false);
    expect(Buffer.from(raw).includes(Buffer.from(expected.bytes).toString('base64'))).toBe(false);
  });

  it('serves the KDC: AS and TGS with a service added as a service', async () => {
    const db = await created();
    await db.addPrincipal('alice', { password: 'alice-Passw0rd' });
    await db.addPrincipal('cifs/files.test', { randomKey: true, settings: { noAuthDataRequired: true } });
    expect(db.principalInfo('cifs/files.test')).toMatchObject({ kind: 'service', disallowServer: false });
    const kdc = createKdc({ realm: REALM, store: db });
    const tgt = await runExchange(
      createAsExchange({ client: `alice@${REALM}`, credentials: { password: 'alice-Passw0rd' } }),
      sender(kdc),
    );
    const ticket = await runExchange(
      createTgsExchange({ tgt, server: `cifs/files.test@${REALM}`, random: seededRandom(2) }),
      sender(kdc),
    );
    expect(ticket.server.name.nameString).toEqual(['cifs', 'files.test']);
  });

  it('refuses duplicates, unknown names, short passwords and contradictory key sources', async () => {
    const db = await created({ minPasswordLength: 10 });
    await db.addPrincipal('bob', { password: 'bob-Passw0rd' });
    expect(code(await rejection(db.addPrincipal('bob', { password: 'bob-Passw0rd' })))).toBe(
      'principal-exists',
    );
    expect(code(await rejection(db.addPrincipal('carol', { password: 'short' })))).toBe('invalid-argument');
    expect(code(await rejection(db.addPrincipal('carol', {})))).toBe('invalid-argument');
    expect(
      code(await rejection(db.addPrincipal('carol', { password: 'long-enough-1', randomKey: true }))),
    ).toBe('invalid-argument');
    expect(code(await rejection(db.addPrincipal('dave', { randomKey: true, enctypes: [1] })))).toBe(
      'invalid-argument',
    );
    expect(code(await rejection(db.addPrincipal('a@b@c', { randomKey: true })))).toBe('invalid-argument');
    expect(code(await rejection(db.setKeys('nobody', { randomKey: true })))).toBe('principal-not-found');
    expect(code(await rejection(db.deletePrincipal('nobody')))).toBe('principal-not-found');
    expect(() => db.principalInfo('nobody')).toThrow(DatabaseError);
    expect(code(await rejection(db.deletePrincipal(`krbtgt/${REALM}`)))).toBe('protected-principal');
    expect(db.listPrincipals().sort()).toEqual([`bob@${REALM}`, `krbtgt/${REALM}@${REALM}`]);
  });

  it('keeps old kvnos after key changes, up to keepOldKvnos, and exports them to a keytab', async () => {
    const db = await created({ keepOldKvnos: 2 });
    await db.addPrincipal('host/files.test', { randomKey: true, enctypes: [18] });
    const first = (await db.get(parsePrincipal(`host/files.test@${REALM}`)))?.keys[0]?.key.bytes;
    expect(await db.setKeys('host/files.test', { randomKey: true, enctypes: [18] })).toBe(2);
    expect(await db.setKeys('host/files.test', { randomKey: true, enctypes: [18] })).toBe(3);
    expect(db.principalInfo('host/files.test').keys.map((k) => k.kvno)).toEqual([3, 2, 1]);
    expect(await db.setKeys('host/files.test', { randomKey: true, enctypes: [18] })).toBe(4);
    expect(db.principalInfo('host/files.test').keys.map((k) => k.kvno)).toEqual([4, 3, 2]);
    const keytab = db.exportKeytab(['host/files.test']);
    expect(keytab.map((e) => e.kvno)).toEqual([4, 3, 2]);
    expect(keytab.every((e) => e.key.enctype === 18 && e.principal.realm === REALM)).toBe(true);
    expect(
      keytab.some((e) => first !== undefined && Buffer.from(e.key.bytes).equals(Buffer.from(first))),
    ).toBe(false);
    expect(db.exportKeytab(['host/files.test'], { currentOnly: true }).map((e) => e.kvno)).toEqual([4]);
  });

  it('a password change takes effect for the KDC at once', async () => {
    const db = await created();
    await db.addPrincipal('erin', { password: 'erin-Passw0rd' });
    await login(db, 'erin', 'erin-Passw0rd');
    await db.setKeys('erin', { password: 'erin-NewPassw0rd' });
    const e = await rejection(login(db, 'erin', 'erin-Passw0rd'));
    expect((e as KerberosError).code).toBe(ErrorCode.KDC_ERR_PREAUTH_FAILED);
    await login(db, 'erin', 'erin-NewPassw0rd');
  });

  it('modifies settings, disables, aliases and deletes', async () => {
    const db = await created();
    await db.addPrincipal('frank', { password: 'frank-Passw0rd' });
    const expiresAt = new Date(Date.UTC(2030, 0, 1));
    const info = await db.modifyPrincipal('frank', {
      maxLifeSeconds: 3600,
      expiresAt,
      requiresPreauth: false,
    });
    expect(info).toMatchObject({ maxLifeSeconds: 3600, expiresAt, requiresPreauth: false });
    const cleared = await db.modifyPrincipal('frank', { maxLifeSeconds: null, expiresAt: null });
    expect(cleared.maxLifeSeconds).toBeUndefined();
    expect(cleared.expiresAt).toBeUndefined();
    expect(code(await rejection(db.modifyPrincipal('frank', { maxLifeSeconds: -1 })))).toBe(
      'invalid-argument',
    );

    await db.modifyPrincipal('frank', { disabled: true });
    const e = await rejection(login(db, 'frank', 'frank-Passw0rd'));
    expect((e as KerberosError).code).toBe(ErrorCode.KDC_ERR_CLIENT_REVOKED);
    await db.modifyPrincipal('frank', { disabled: false });
    await login(db, 'frank', 'frank-Passw0rd');

    await db.addPrincipal('cifs/files.test', { randomKey: true });
    await db.addAlias('cifs/files', 'cifs/files.test');
    expect(code(await rejection(db.addAlias('cifs/files', 'frank')))).toBe('principal-exists');
    expect(db.principalInfo('cifs/files.test').aliases).toEqual([`cifs/files@${REALM}`]);
    expect(db.principalInfo('cifs/files').name).toBe(`cifs/files.test@${REALM}`);
    const viaAlias = await db.get(parsePrincipal(`cifs/files@${REALM}`));
    expect(viaAlias?.principal.name.nameString).toEqual(['cifs', 'files.test']);
    expect(db.listPrincipals('cifs/*')).toEqual([`cifs/files.test@${REALM}`]);

    await db.deletePrincipal('cifs/files.test');
    expect(await db.get(parsePrincipal(`cifs/files@${REALM}`))).toBeUndefined();
    expect(await db.get(parsePrincipal(`cifs/files.test@${REALM}`))).toBeUndefined();
  });
});

describe('lockout', () => {
  it('locks after maxFailures within the window, answers CLIENT_REVOKED, then unlocks by time or by an admin', async () => {
    const db = await created({ lockout: { maxFailures: 3, failureWindowSeconds: 600, lockoutSeconds: 60 } });
    await db.addPrincipal('gina', { password: 'gina-Passw0rd' });
    const kdc = createKdc({ realm: REALM, store: db, clock: { now: clock } });
    const attempt = (password: string) =>
      runExchange(
        createAsExchange({ client: `gina@${REALM}`, credentials: { password }, clock: { now: clock } }),
        sender(kdc),
      );
    for (let i = 0; i < 3; i++) {
      expect(((await rejection(attempt('wrong-password'))) as KerberosError).code).toBe(
        ErrorCode.KDC_ERR_PREAUTH_FAILED,
      );
    }
    expect(db.principalInfo('gina')).toMatchObject({ failedLogins: 3, lockedUntil: new Date(now + 60_000) });
    // the right password no longer helps
    expect(((await rejection(attempt('gina-Passw0rd'))) as KerberosError).code).toBe(
      ErrorCode.KDC_ERR_CLIENT_REVOKED,
    );
    now += 61_000;
    await attempt('gina-Passw0rd');
    expect(db.principalInfo('gina').failedLogins).toBe(0);

    // failures further apart than the window do not add up
    for (let i = 0; i < 4; i++) {
      await rejection(attempt('wrong-password'));
      now += 601_000;
    }
    expect(db.principalInfo('gina').failedLogins).toBe(1);
    await attempt('gina-Passw0rd');

    await db.setLockoutPolicy({ lockoutSeconds: 0 });
    for (let i = 0; i < 3; i++) await rejection(attempt('wrong-password'));
    now += 10 * 365 * 86_400_000;
    expect(((await rejection(attempt('gina-Passw0rd'))) as KerberosError).code).toBe(
      ErrorCode.KDC_ERR_CLIENT_REVOKED,
    );
    await db.modifyPrincipal('gina', { unlock: true });
    await attempt('gina-Passw0rd');
  });

  it('counts nothing when the policy is off', async () => {
    const db = await created({ lockout: { maxFailures: 0 } });
    await db.addPrincipal('hank', { password: 'hank-Passw0rd' });
    for (let i = 0; i < 12; i++) await rejection(login(db, 'hank', 'wrong-password'));
    expect(db.principalInfo('hank').failedLogins).toBe(0);
    await login(db, 'hank', 'hank-Passw0rd');
  });
});

describe('stored records are checked on the way in', () => {
  it('random values are a DatabaseError("corrupt") or a well-formed record, never a TypeError', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          const r = checkPrincipal(value);
          expect(Array.isArray(r.keys)).toBe(true);
        } catch (e) {
          expect(code(e)).toBe('corrupt');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a damaged record in the file is reported as corrupt, and the KDC answers KRB_ERR_GENERIC', async () => {
    const db = await created();
    await db.addPrincipal('ivan', { password: 'ivan-Passw0rd' });
    await db.close();
    const { open } = await import('lmdb');
    const raw = open({ path: databasePaths(join(dir, 'state')).database, encoding: 'json' });
    await raw.put(`p/ivan@${REALM}`, { name: `ivan@${REALM}`, keys: 'nope' });
    await raw.put('gen', 99);
    await raw.close();
    const again = await KdcDatabase.open(join(dir, 'state'));
    expect(code(await rejection(again.get(parsePrincipal(`ivan@${REALM}`))))).toBe('corrupt');
    const e = await rejection(login(again, 'ivan', 'ivan-Passw0rd'));
    expect(e).toBeInstanceOf(KerberosError);
    expect((e as KerberosError).code).toBe(ErrorCode.KRB_ERR_GENERIC);
  });
});
