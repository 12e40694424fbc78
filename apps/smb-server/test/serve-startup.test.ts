/**
 * `serve` start-up failures, in process: a bad directory or host name is refused before
 * anything is written, and a KDC listener that cannot open ends the run (exit 7) with the
 * listeners already opened closed again, so the same state directory serves right after.
 */

import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@postntlm/interop';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppIo } from '../src/cli/io.js';
import { main } from '../src/program.js';

function io(signal?: AbortSignal): AppIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => {
      o.out += t;
    },
    stderr: (t: string) => {
      o.err += t;
    },
    readStdin: async () => '',
    env: {},
    stderrIsTty: false,
    signal,
    handleSignals: false,
  };
  return o;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(condition()).toBe(true);
}

describe('postntlm-smbd serve start-up', () => {
  let dir: string;
  let state: string;
  let share: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postntlm-smbd-startup-'));
    state = join(dir, 'state');
    share = join(dir, 'files');
    await mkdir(share);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a missing directory or a file as DIR, and writes no state', async () => {
    const missing = io();
    expect(await main(['serve', join(dir, 'nope'), '--state', state], missing)).toBe(2);
    expect(missing.err).toMatch(/serve DIR: .*nope: no such directory/);
    await writeFile(join(dir, 'file.txt'), 'x');
    const file = io();
    expect(await main(['serve', join(dir, 'file.txt'), '--state', state], file)).toBe(2);
    expect(file.err).toMatch(/file\.txt is not a directory/);
    await expect(access(state)).rejects.toThrow();
  });

  it('refuses a bad --host before it touches the configuration or the KDC', async () => {
    const bad = io();
    expect(await main(['serve', share, '--state', state, '--host', 'not a host!'], bad)).toBe(2);
    expect(bad.err).toMatch(/--host: "not a host!" is not a host name/);
    await expect(access(state)).rejects.toThrow();
  });

  it('names the share whose directory has gone', async () => {
    await mkdir(state, { mode: 0o700 });
    const config = join(state, 'postntlm-smbd.toml');
    await writeFile(
      config,
      `[server]\nhost = "files.test"\n\n[[share]]\nname = "gone"\npath = "${join(dir, 'gone')}"\n`,
    );
    const x = io();
    expect(await main(['serve', '--state', state], x)).toBe(2);
    expect(x.err).toContain(`${config}: share[0].path: ${join(dir, 'gone')}: no such directory`);
  });

  it('refuses a bad or taken --share name for a new DIR and leaves the configuration as it was', async () => {
    await mkdir(state, { mode: 0o700 });
    const config = join(state, 'postntlm-smbd.toml');
    const text = `[server]\nhost = "files.test"\n\n[[share]]\nname = "files"\npath = "${share}"\n`;
    await writeFile(config, text);
    await mkdir(join(dir, 'more'));
    const x = io();
    expect(await main(['serve', join(dir, 'more'), '--state', state, '--share', 'two words'], x)).toBe(2);
    expect(x.err).toMatch(/--share: "two words": letters, digits/);
    const taken = io();
    expect(await main(['serve', join(dir, 'more'), '--state', state, '--share', 'FILES'], taken)).toBe(2);
    expect(taken.err).toMatch(/--share FILES: the configuration already has a share of that name/);
    expect(await readFile(config, 'utf8')).toBe(text);
  });

  it('closes the listeners it opened when a KDC port is taken (exit 7), then serves', async () => {
    const kdcPort = await findFreePort();
    const blocker: Server = createServer();
    await new Promise<void>((ok) => blocker.listen(kdcPort, '127.0.0.1', ok));
    const args = ['serve', share, '--state', state, '--host', 'files.test', '--listen', '127.0.0.1:0'];
    try {
      const busy = io();
      expect(await main([...args, '--kdc-listen', `tcp:127.0.0.1:${kdcPort}`, '--json'], busy)).toBe(7);
      expect(busy.err).toMatch(new RegExp(`KDC listener tcp:127\\.0\\.0\\.1:${kdcPort}: .*EADDRINUSE`));
    } finally {
      await new Promise((ok) => blocker.close(ok));
    }
    // The Unix socket opened before the failure was closed: a new run gets it.
    const stop = new AbortController();
    const again = io(stop.signal);
    const running = main([...args, '--json'], again);
    await until(() => again.out.includes('"event":"ready"'));
    const ready = JSON.parse(again.out);
    expect(ready.stateDir).toBe(state);
    expect(ready.kdcListeners).toContain(`unix:${join(state, 'kdc.sock')}`);
    expect(JSON.parse(await readFile(join(state, 'postntlm-smbd.runtime.json'), 'utf8')).pid).toBe(
      process.pid,
    );
    stop.abort();
    expect(await running).toBe(0);
    await expect(access(join(state, 'postntlm-smbd.runtime.json'))).rejects.toThrow();
  });

  it('prints an absolute state directory for a relative --state', async () => {
    const stop = new AbortController();
    const x = io(stop.signal);
    const cwd = process.cwd();
    process.chdir(dir);
    let running: Promise<number>;
    try {
      running = main(
        ['serve', 'files', '--state', 'state', '--host', 'files.test', '--listen', '127.0.0.1:0'],
        x,
      );
      await until(() => x.out.includes('Connect with postntlm-smb'));
    } finally {
      process.chdir(cwd);
    }
    expect(x.out).toContain(`postntlm-smbd user add alice --state ${state}`);
    stop.abort();
    expect(await running).toBe(0);
  });
});
