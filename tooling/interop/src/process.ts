import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What a finished child process left behind. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code; `null` when the process was ended by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunOptions {
  /** Written to the child's stdin, which is then closed (stdin is always a closed pipe). */
  readonly input?: string | Uint8Array;
  /** Extra environment, applied on top of the base environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Kill the child (SIGKILL) and reject after this long. Default 30 s. */
  readonly timeoutMs?: number;
}

/** Where MIT and Samba keep their daemons and admin tools on Debian, often not on a user's PATH. */
const SYSTEM_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

export const INSTALL_HINT = 'run `bash tooling/interop/install-peers.sh`';

function searchPath(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const d of SYSTEM_DIRS) if (!dirs.includes(d)) dirs.push(d);
  return dirs;
}

/** PATH for child processes: the caller's PATH plus the system dirs that hold the peers. */
export function childPath(): string {
  return searchPath().join(delimiter);
}

/**
 * Finds an executable on PATH (or in /usr/sbin, /sbin) and returns its absolute path.
 * A missing peer is a loud failure, never a skip:
 * `MIT krb5kdc not found: run \`bash tooling/interop/install-peers.sh\``.
 *
 * @param name command name, e.g. `krb5kdc`
 * @param what human description used in the error, e.g. `MIT krb5kdc` (default: name)
 */
export function requireCommand(name: string, what: string = name): string {
  if (name.includes('/')) {
    try {
      accessSync(name, constants.X_OK);
      return name;
    } catch {
      throw new Error(`${what} not found (${name}): ${INSTALL_HINT}`);
    }
  }
  for (const dir of searchPath()) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${what} not found (no \`${name}\` on PATH or in /usr/sbin): ${INSTALL_HINT}`);
}

/**
 * Environment for peer tools: the caller's environment without any KRB5* settings (a
 * developer's own ticket cache or profile must never leak into a test), a PATH that
 * includes /usr/sbin, a fixed UTF-8 C locale (stable error texts), then `extra`.
 */
export function baseEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('KRB5') || k.startsWith('LC_') || k === 'LANG' || k === 'LANGUAGE')
      continue;
    env[k] = v;
  }
  env.PATH = childPath();
  env.LC_ALL = 'C.UTF-8';
  env.LANG = 'C.UTF-8';
  return { ...env, ...extra };
}

/**
 * Runs a command without a shell (arguments are passed as they are, nothing is
 * interpolated) and collects its output. Resolves with the exit code whatever it is;
 * rejects only when the command cannot be started or times out.
 * The environment is {@link baseEnv} plus `options.env`.
 */
export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: baseEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') reject(new Error(`${cmd} not found: ${INSTALL_HINT}`));
      else reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
      };
      if (timedOut) {
        reject(
          new Error(
            `${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
          ),
        );
      } else {
        resolve(result);
      }
    });
    // A child that exits without reading its input must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** Like {@link run}, but rejects (with the output in the message) unless the exit code is 0. */
export async function runChecked(
  cmd: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const result = await run(cmd, args, options);
  if (result.code !== 0) throw new Error(describeFailure(cmd, args, result));
  return result;
}

export function describeFailure(cmd: string, args: readonly string[], r: RunResult): string {
  const status = r.code === null ? `signal ${r.signal ?? '?'}` : `exit code ${r.code}`;
  return `${cmd} ${args.join(' ')} failed (${status})\nstdout: ${r.stdout.trim()}\nstderr: ${r.stderr.trim()}`;
}
