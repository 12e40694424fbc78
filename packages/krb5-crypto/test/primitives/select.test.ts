/** Backend selection: auto default, forcing, custom backends, and the browser fallback. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  availableBackends,
  type CryptoBackend,
  createNodeBackend,
  getBackend,
  getBackendByName,
  InvalidInputError,
  nobleBackend,
  setBackend,
} from '../../src/primitives/index.js';

afterEach(() => setBackend('auto'));

describe('backend selection', () => {
  it('auto picks node on Node, and both backends are available', () => {
    expect(availableBackends()).toEqual(['node', 'noble']);
    expect(getBackend().name).toBe('node');
  });

  it('setBackend forces a backend by name; auto restores the default', () => {
    setBackend('noble');
    expect(getBackend()).toBe(nobleBackend);
    setBackend('node');
    expect(getBackend().name).toBe('node');
    setBackend('auto');
    expect(getBackend().name).toBe('node');
  });

  it('getBackendByName returns the same cached instances', () => {
    expect(getBackendByName('noble')).toBe(nobleBackend);
    expect(getBackendByName('node')).toBe(getBackendByName('node'));
  });

  it('accepts a complete custom backend and rejects incomplete ones', () => {
    const custom: CryptoBackend = { ...nobleBackend };
    setBackend(custom);
    expect(getBackend()).toBe(custom);
    const { aesCmac: _dropped, ...partial } = nobleBackend;
    expect(() => setBackend(partial as CryptoBackend)).toThrow(InvalidInputError);
    expect(() => setBackend(null as unknown as CryptoBackend)).toThrow(InvalidInputError);
    expect(() => setBackend('openssl' as 'node')).toThrow(InvalidInputError);
    expect(getBackend()).toBe(custom); // failed calls leave the choice unchanged
  });

  it('without node:crypto (browsers): no node backend, auto falls back to noble', () => {
    const proc = globalThis.process as unknown as { getBuiltinModule: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      expect(createNodeBackend()).toBeUndefined();
    } finally {
      proc.getBuiltinModule = saved;
    }
    expect(createNodeBackend()?.name).toBe('node');
  });
});

describe('backend selection in a runtime without node:crypto', () => {
  it('reports only noble and refuses "node"', async () => {
    const proc = globalThis.process as unknown as { getBuiltinModule: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      // Fresh module instances, so the node probe runs with getBuiltinModule missing.
      vi.resetModules();
      const fresh = await import('../../src/primitives/select.js');
      const { UnsupportedAlgorithmError } = await import('../../src/errors.js');
      expect(fresh.availableBackends()).toEqual(['noble']);
      expect(fresh.getBackend().name).toBe('noble');
      expect(() => fresh.getBackendByName('node')).toThrow(UnsupportedAlgorithmError);
      expect(() => fresh.setBackend('node')).toThrow(UnsupportedAlgorithmError);
    } finally {
      proc.getBuiltinModule = saved;
    }
  });
});
