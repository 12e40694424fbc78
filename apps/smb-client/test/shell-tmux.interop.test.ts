/**
 * Issue 10, line 4: a tmux-driven test types into `postntlm-smb shell` and reads its
 * screen: ls, put, mkdir, cd, get, a missing file (the shell stays up), exit. Tickets come
 * from `postntlm-smb kinit` against the reference server's Local KDC. Two more panes type a
 * password at an unechoed prompt: the shell's (--password-stdin on a terminal) and kinit's.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningServer, requireCommand, run, startPostntlmSmbd } from '@postntlm/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, SMBD_BIN, smb } from './cli.js';

const session = `postntlm-smb-${randomUUID().slice(0, 8)}`;
/** A second session: the password typed at the terminal. */
const passwordSession = `${session}-pw`;
/** A third: kinit asking for the password at the terminal. */
const kinitSession = `${session}-kinit`;
const tmux = (...args: string[]) => run(requireCommand('tmux'), args, { timeoutMs: 10_000 });
const screen = async (name = session) => (await tmux('capture-pane', '-p', '-t', name)).stdout;

/** Waits until the screen matches `re` (the shell answers asynchronously). */
async function waitFor(re: RegExp, timeoutMs = 20_000, name = session): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await screen(name);
    if (re.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`screen never matched ${re}:\n${text}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function type(line: string, name = session): Promise<void> {
  await tmux('send-keys', '-t', name, '-l', line);
  await tmux('send-keys', '-t', name, 'Enter');
}

describe('postntlm-smb shell in tmux', () => {
  let server: RunningServer;

  beforeAll(async () => {
    requireCommand('tmux');
    server = await startPostntlmSmbd(SMBD_BIN);
    expect((await server.cli(['user', 'add', 'alice', '--password-stdin'], 'alice-Passw0rd\n')).code).toBe(0);
    const conf = await server.cli(['krb5conf']);
    await writeFile(join(server.dir, 'krb5.conf'), conf.stdout);
    const env = {
      KRB5_CONFIG: join(server.dir, 'krb5.conf'),
      KRB5CCNAME: `FILE:${join(server.dir, 'alice.cc')}`,
    };
    const k = await smb(['kinit', `alice@${server.ready.realm}`, '--password-stdin'], {
      env,
      input: 'alice-Passw0rd\n',
    });
    expect(k.code, k.stderr).toBe(0);
    await writeFile(join(server.dir, 'notes.txt'), 'typed into a tmux pane\n');
    await writeFile(join(server.shareDir, 'existing.txt'), 'already here\n');
    const command = [
      'env',
      `KRB5_CONFIG=${env.KRB5_CONFIG}`,
      `KRB5CCNAME=${env.KRB5CCNAME}`,
      process.execPath,
      BIN,
      'shell',
      '//files.test/files',
      '--port',
      String(server.port),
      '--address',
      '127.0.0.1',
    ].join(' ');
    const started = await tmux(
      'new-session',
      '-d',
      '-x',
      '120',
      '-y',
      '40',
      '-s',
      session,
      '-c',
      server.dir,
      `${command}; sleep 30`,
    );
    expect(started.code, started.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await tmux('kill-session', '-t', session);
    await tmux('kill-session', '-t', passwordSession);
    await tmux('kill-session', '-t', kinitSession);
    await server?.close();
  });

  it('lists, puts, makes a directory, changes into it, gets, survives an error and exits', async () => {
    await waitFor(/smb: \\>\s*$/m);
    await type('ls');
    await waitFor(/existing\.txt +A/);
    await type('put notes.txt');
    await waitFor(/putting file notes\.txt as \\notes\.txt/);
    // stderr is the pane (a terminal): the transfer drew its progress bar with rate and ETA.
    await waitFor(/put notes\.txt \[#{30}\] 0\.0 MB\/0\.0 MB [\d.]+ MB\/s ETA 00:00/);
    expect(await readFile(join(server.shareDir, 'notes.txt'), 'utf8')).toBe('typed into a tmux pane\n');
    await type('mkdir sub');
    await type('cd sub');
    await waitFor(/smb: \\sub\\>\s*$/m);
    await type('put notes.txt inside.txt');
    await waitFor(/as \\sub\\inside\.txt/);
    await type('get inside.txt back.txt');
    await waitFor(/getting file \\sub\\inside\.txt/);
    expect(await readFile(join(server.dir, 'back.txt'), 'utf8')).toBe('typed into a tmux pane\n');
    await type('get missing.txt');
    await waitFor(/STATUS_OBJECT_NAME_NOT_FOUND/);
    await type('cd ..');
    await type('ls');
    const text = await waitFor(/sub +D/);
    expect(text).toMatch(/notes\.txt +A +23/);
    await type('exit');
    // The shell ended: the pane now runs `sleep`, and no prompt comes back after `exit`.
    await new Promise((r) => setTimeout(r, 1000));
    await type('ls');
    await new Promise((r) => setTimeout(r, 500));
    const after = (await screen()).trimEnd().split('\n');
    expect(after.at(-1)).not.toMatch(/smb: \\/);
  });

  it('asks for the password at the terminal without echoing it (--password-stdin on a TTY)', async () => {
    const command = [
      'env',
      `KRB5_CONFIG=${join(server.dir, 'no-such-krb5.conf')}`,
      `KRB5CCNAME=FILE:${join(server.dir, 'none.cc')}`,
      process.execPath,
      BIN,
      'shell',
      '//files.test/files',
      '--port',
      String(server.port),
      '--address',
      '127.0.0.1',
      '--user',
      'alice',
      '--password-stdin',
    ].join(' ');
    const started = await tmux(
      'new-session',
      '-d',
      '-x',
      '120',
      '-y',
      '40',
      '-s',
      passwordSession,
      '-c',
      server.dir,
      `${command}; sleep 30`,
    );
    expect(started.code, started.stderr).toBe(0);
    await waitFor(/Password for alice:\s*$/m, 20_000, passwordSession);
    await type('alice-Passw0rd', passwordSession);
    const text = await waitFor(/smb: \\>\s*$/m, 20_000, passwordSession);
    expect(text).toMatch(/Connected to \\\\files\.test\\files as alice@LOCALKDC\./);
    expect(text).not.toContain('alice-Passw0rd');
    await type('pwd', passwordSession);
    await waitFor(/^\\$/m, 20_000, passwordSession);
    await type('exit', passwordSession);
  });

  it('kinit without --password-stdin asks at the terminal, unechoed, like MIT kinit', async () => {
    const cache = join(server.dir, 'typed.cc');
    const command = [
      'env',
      `KRB5_CONFIG=${join(server.dir, 'no-such-krb5.conf')}`,
      `KRB5CCNAME=FILE:${cache}`,
      process.execPath,
      BIN,
      'kinit',
      `alice@${server.ready.realm}`,
      '--kdc',
      `tcp/127.0.0.1:${server.kdcPort}`,
    ].join(' ');
    const started = await tmux(
      'new-session',
      '-d',
      '-x',
      '120',
      '-y',
      '40',
      '-s',
      kinitSession,
      `${command}; sleep 30`,
    );
    expect(started.code, started.stderr).toBe(0);
    await waitFor(/Password for alice@LOCALKDC\.[^:]+:\s*$/m, 20_000, kinitSession);
    await type('alice-Passw0rd', kinitSession);
    const text = await waitFor(/Ticket for alice@/, 20_000, kinitSession);
    expect(text).not.toContain('alice-Passw0rd');
    const list = await smb(['klist', '--json'], { env: { KRB5CCNAME: `FILE:${cache}` } });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).principal).toBe(`alice@${server.ready.realm}`);
  });
});
