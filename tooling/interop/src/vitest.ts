import { afterAll, beforeAll } from 'vitest';
import { type MitKdc, type MitKdcOptions, startMitKdc } from './mit-kdc.js';
import { type SambaKdc, type SambaOptions, type SambaServer, startSamba } from './samba.js';

const HOOK_TIMEOUT_MS = 60_000;

/**
 * Starts a throw-away MIT KDC in `beforeAll` and stops it in `afterAll` of the calling
 * file (or describe block). Returns a getter for use inside tests and later hooks.
 */
export function useMitKdc(options: MitKdcOptions = {}): () => MitKdc {
  let kdc: MitKdc | undefined;
  beforeAll(async () => {
    kdc = await startMitKdc(options);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await kdc?.stop();
  }, HOOK_TIMEOUT_MS);
  return () => {
    if (kdc === undefined)
      throw new Error('the MIT KDC is not running: use the getter inside tests or hooks');
    return kdc;
  };
}

/**
 * Starts a throw-away Samba smbd that trusts the KDC of `kdc` (a getter from
 * {@link useMitKdc}, registered before this call) for the calling file or describe block.
 */
export function useSamba(kdc: () => SambaKdc, options: SambaOptions = {}): () => SambaServer {
  let samba: SambaServer | undefined;
  beforeAll(async () => {
    samba = await startSamba(kdc(), options);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await samba?.stop();
  }, HOOK_TIMEOUT_MS);
  return () => {
    if (samba === undefined) throw new Error('Samba is not running: use the getter inside tests or hooks');
    return samba;
  };
}
