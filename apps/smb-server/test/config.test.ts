/** The TOML configuration: defaults, every error names its key, and writing it back reads the same. */
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { configToToml } from '../src/config/load.js';
import { validateConfig } from '../src/config/schema.js';
import { CliError } from '../src/exit-codes.js';

const minimal = { server: { host: 'files.example' }, share: [{ name: 'docs', path: '/srv/docs' }] };

function error(doc: unknown): string {
  try {
    validateConfig(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('validateConfig', () => {
  it('fills the defaults', () => {
    const c = validateConfig(minimal);
    expect(c.listen).toBe('127.0.0.1:4445');
    expect(c.kdc).toEqual({ mode: 'embedded', listen: [] });
    expect(c.log).toEqual({
      level: 'info',
      format: 'auto',
      kdcAudit: 'audit.log',
      ntlmAudit: 'ntlm-audit.jsonl',
    });
    expect(c.shares[0]).toEqual({
      name: 'docs',
      path: '/srv/docs',
      readOnly: false,
      allow: [],
      encrypt: false,
      remark: '',
    });
    expect(c.encryptAll).toBe(false);
  });

  it('names the key of every mistake', () => {
    expect(error({ ...minimal, server: { host: 'x', listen: 'nope' } })).toMatch(
      /server\.listen: "nope" is not ADDR:PORT/,
    );
    expect(error({ ...minimal, server: { host: 'x', colour: 1 } })).toMatch(/server\.colour: unknown key/);
    expect(error({ ...minimal, share: [{ name: 'IPC$', path: '/x' }] })).toMatch(/share\[0\]\.name/);
    expect(error({ ...minimal, share: [{ name: 'a' }] })).toMatch(/share\[0\]\.path: missing/);
    expect(error({ ...minimal, share: [{ name: 'a', path: 'srv/a' }] })).toMatch(
      /share\[0\]\.path: "srv\/a" must be an absolute path/,
    );
    expect(error({ ...minimal, server: { host: 'files_example' } })).toMatch(
      /server\.host: "files_example" is not a host name/,
    );
    expect(error({ ...minimal, share: [{ name: 'a', path: '/a', read_only: 'yes' }] })).toMatch(
      /share\[0\]\.read_only: must be true or false/,
    );
    expect(
      error({
        ...minimal,
        share: [
          { name: 'a', path: '/a' },
          { name: 'A', path: '/b' },
        ],
      }),
    ).toMatch(/two shares/);
    expect(error({ ...minimal, kdc: { mode: 'cloud' } })).toMatch(
      /kdc\.mode: must be one of embedded, proxy/,
    );
    expect(error({ ...minimal, kdc: { mode: 'embedded', listen: ['unix:/x'] } })).toMatch(/kdc\.listen/);
    expect(error({ ...minimal, kdc: { mode: 'proxy', realm: 'EXAMPLE.COM', keytab: '/k' } })).toMatch(
      /kdc\.kdcs/,
    );
    expect(error({ ...minimal, log: { level: 'loud' } })).toMatch(/log\.level/);
    expect(error({ server: {} })).toMatch(/server\.host: missing/);
  });

  it('accepts the proxy mode for hosts in a realm', () => {
    const c = validateConfig({
      ...minimal,
      kdc: { mode: 'proxy', realm: 'example.com', kdcs: ['kdc1.example.com:88'], keytab: '/etc/k' },
    });
    expect(c.kdc).toEqual({
      mode: 'proxy',
      realm: 'EXAMPLE.COM',
      kdcs: ['kdc1.example.com:88'],
      keytab: '/etc/k',
    });
  });

  it('writes TOML that reads back the same', () => {
    const c = validateConfig({
      ...minimal,
      share: [
        { name: 'docs', path: '/srv/docs', allow: ['alice'], encrypt: true, read_only: true, remark: 'team' },
      ],
      kdc: { mode: 'embedded', listen: ['udp:127.0.0.1:8088'] },
    });
    expect(validateConfig(parseToml(configToToml(c)))).toEqual(c);
  });
});
