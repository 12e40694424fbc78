/**
 * node:crypto for the incremental paths the krb5-crypto backend interface lacks.
 *
 * The CryptoBackend of @postntlm/krb5-crypto is one-shot: hmac(key, data), aesCmac(key, data),
 * aesGcmSeal(key, nonce, plaintext, aad). Signing a message given as parts (header, body,
 * payload) through it means concatenating the parts first. node:crypto's Hmac and
 * Cipheriv objects take their input in pieces, so when the active backend is the built-in
 * node backend this layer calls node:crypto directly and never copies the payload:
 * HMAC-SHA256 via createHmac().update(part)..., AES-GMAC via a GCM Cipheriv with one
 * setAAD() per part, AES-CMAC via an AES-CBC Cipheriv chained over whole blocks, and AES-GCM
 * encryption via one update() per part. Everywhere else (the noble backend, a custom
 * backend, runtimes without node:crypto) the portable path goes through getBackend(), with
 * one concatenation when a message comes in several parts; the bytes are the same.
 *
 * node:crypto is fetched at run time with process.getBuiltinModule (as krb5-crypto does),
 * never imported statically, so the package still loads in browsers and edge runtimes.
 */
import type * as NodeCrypto from 'node:crypto';
import { getBackend, getBackendByName } from '@postntlm/krb5-crypto/primitives';

export type NodeCryptoModule = typeof NodeCrypto;

let probed = false;
let mod: NodeCryptoModule | undefined;

function load(): NodeCryptoModule | undefined {
  if (!probed) {
    probed = true;
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    try {
      const m = proc?.getBuiltinModule?.('node:crypto') as Partial<NodeCryptoModule> | undefined;
      mod =
        typeof m?.createCipheriv === 'function' && typeof m.createHmac === 'function'
          ? (m as NodeCryptoModule)
          : undefined;
    } catch {
      mod = undefined;
    }
  }
  return mod;
}

/**
 * node:crypto when the active krb5-crypto backend is the built-in node backend (so forcing
 * `setBackend('noble')`, or a custom backend, routes everything through the backend), else undefined.
 */
export function nativeCrypto(): NodeCryptoModule | undefined {
  const c = load();
  if (c === undefined) return undefined;
  try {
    return getBackend() === getBackendByName('node') ? c : undefined;
  } catch {
    return undefined;
  }
}
