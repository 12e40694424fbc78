/**
 * Backend selection. "auto" (the default) picks node:crypto when present, since OpenSSL's
 * AES-NI paths are far faster, and falls back to noble everywhere else. Tests force each
 * backend in turn so both stay byte-identical.
 */
import { InvalidInputError, UnsupportedAlgorithmError } from '../errors.js';
import type { BackendName, CryptoBackend } from './backend.js';
import { nobleBackend } from './noble.js';
import { createNodeBackend } from './node.js';

/** What `setBackend` accepts: a built-in backend by name, "auto", or a custom implementation. */
export type BackendChoice = BackendName | 'auto' | CryptoBackend;

let nodeProbed = false;
let nodeBackend: CryptoBackend | undefined;
let forced: CryptoBackend | undefined;

function node(): CryptoBackend | undefined {
  if (!nodeProbed) {
    nodeBackend = createNodeBackend();
    nodeProbed = true;
  }
  return nodeBackend;
}

/** Names of the built-in backends usable in this runtime, preferred first. */
export function availableBackends(): BackendName[] {
  return node() === undefined ? ['noble'] : ['node', 'noble'];
}

/**
 * A built-in backend by name. Throws UnsupportedAlgorithmError for "node" where
 * node:crypto is unavailable (browsers, edge runtimes).
 */
export function getBackendByName(name: BackendName): CryptoBackend {
  if (name === 'noble') return nobleBackend;
  if (name === 'node') {
    const b = node();
    if (b === undefined)
      throw new UnsupportedAlgorithmError('the node backend needs node:crypto (Node >= 20.16)');
    return b;
  }
  throw new InvalidInputError(`unknown backend name: ${String(name)}`);
}

/** The backend every krb5-crypto operation uses now. */
export function getBackend(): CryptoBackend {
  return forced ?? node() ?? nobleBackend;
}

const METHODS = [
  'hash',
  'hmac',
  'pbkdf2',
  'aesEcbEncrypt',
  'aesEcbDecrypt',
  'aesCbcEncrypt',
  'aesCbcDecrypt',
  'aesCtr',
  'aesGcmSeal',
  'aesGcmOpen',
  'aesCcmSeal',
  'aesCcmOpen',
  'aesCmac',
  'randomBytes',
] as const satisfies readonly (keyof CryptoBackend)[];

/**
 * Forces the backend process-wide ("auto" restores the default). A custom object must
 * implement every CryptoBackend method. Throws UnsupportedAlgorithmError for "node" where
 * node:crypto is unavailable, InvalidInputError for anything else unrecognised.
 */
export function setBackend(choice: BackendChoice): void {
  if (choice === 'auto') {
    forced = undefined;
  } else if (typeof choice === 'string') {
    forced = getBackendByName(choice);
  } else {
    const candidate = choice as unknown as Partial<Record<string, unknown>> | null;
    const missing =
      typeof candidate !== 'object' || candidate === null
        ? ['(not an object)']
        : METHODS.filter((m) => typeof candidate[m] !== 'function');
    if (missing.length > 0) {
      throw new InvalidInputError(`custom backend is missing: ${missing.join(', ')}`);
    }
    forced = choice;
  }
}
