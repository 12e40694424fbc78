import { existsSync } from 'node:fs';
import { MIT_S2K_SCRIPT } from './paths.js';
import { describeFailure, requireCommand, runChecked } from './process.js';

export interface StringToKeyRequest {
  readonly enctype: number | string;
  /** UTF-8 when a string */
  readonly password: string | Uint8Array;
  /** UTF-8 when a string */
  readonly salt: string | Uint8Array;
  /** string-to-key parameters, e.g. a 4-byte big-endian iteration count for the AES enctypes */
  readonly params?: Uint8Array;
}

/** A key, or MIT's error message (e.g. `Invalid key generation parameters from KDC`). */
export type StringToKeyResult =
  | { readonly ok: true; readonly enctype: number; readonly key: Uint8Array }
  | { readonly ok: false; readonly error: string };

const hex = (v: string | Uint8Array): string =>
  (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v)).toString('hex');

function python(): string {
  // Debian's interpreter first: a python3 earlier on PATH (pyenv, venv) works too, ctypes is stdlib.
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : requireCommand('python3', 'python3');
}

/**
 * MIT libkrb5's `krb5_c_string_to_key_with_params` (through ctypes, tooling/interop/mit-s2k.py),
 * for what ktutil cannot do: string-to-key parameters. Offline, no KDC.
 */
export async function mitStringToKey(requests: readonly StringToKeyRequest[]): Promise<StringToKeyResult[]> {
  const input = JSON.stringify(
    requests.map((r) => ({
      enctype: r.enctype,
      password: hex(r.password),
      salt: hex(r.salt),
      params: r.params === undefined ? null : hex(r.params),
    })),
  );
  const args = [MIT_S2K_SCRIPT];
  const result = await runChecked(python(), args, {
    input,
    env: { KRB5_CONFIG: '/dev/null' },
    timeoutMs: 300_000,
  });
  const parsed: unknown = JSON.parse(result.stdout);
  if (!Array.isArray(parsed) || parsed.length !== requests.length) {
    throw new Error(`mit-s2k.py gave unexpected output: ${describeFailure('python3', args, result)}`);
  }
  return parsed.map((item: unknown): StringToKeyResult => {
    if (typeof item === 'object' && item !== null) {
      if (
        'key' in item &&
        typeof item.key === 'string' &&
        'enctype' in item &&
        typeof item.enctype === 'number'
      ) {
        return { ok: true, enctype: item.enctype, key: new Uint8Array(Buffer.from(item.key, 'hex')) };
      }
      if ('error' in item && typeof item.error === 'string') return { ok: false, error: item.error };
    }
    throw new Error(`mit-s2k.py: unexpected item ${JSON.stringify(item)}`);
  });
}
