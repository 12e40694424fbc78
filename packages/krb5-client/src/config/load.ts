/**
 * The Node edge of the profile parser: reads krb5.conf files (KRB5_CONFIG or
 * /etc/krb5.conf) and everything they include, asynchronously, then parses them in memory.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { ProfileError, ProfileIncludeError } from './errors.js';
import { type Krb5Config, readKrb5Config } from './krb5-config.js';
import { memoryProfileFs } from './memory-fs.js';
import {
  includeDirectiveOf,
  includedFileNames,
  joinIncludePath,
  type ProfileSource,
  parseProfiles,
} from './parse.js';
import type { Profile } from './profile.js';

/** MIT's compiled-in default profile path. */
export const DEFAULT_PROFILE_PATH = '/etc/krb5.conf';

export interface LoadProfileOptions {
  /** Environment to take KRB5_CONFIG from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Largest file read, in bytes (default 1 MiB). */
  readonly maxFileBytes?: number;
  /** Most files read in all, includes included (default 256). */
  readonly maxFiles?: number;
  /** Deepest include nesting (default 16). */
  readonly maxIncludeDepth?: number;
}

/** The profile paths MIT would read: KRB5_CONFIG split on `:`, or /etc/krb5.conf. */
export function defaultProfilePaths(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const value = env.KRB5_CONFIG;
  if (value === undefined || value === '') return [DEFAULT_PROFILE_PATH];
  return value.split(':').filter((p) => p !== '');
}

function errnoOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/** Top-level files that are absent are skipped, as MIT skips them. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR']);
/** Unreadable top-level files are skipped too, unless no file at all could be read. */
const UNREADABLE = new Set(['EACCES', 'EPERM']);

/** MIT expands a leading `~/` in profile paths with HOME. */
function expandHome(path: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!path.startsWith('~/')) return path;
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return `${home}${path.slice(1)}`;
}

/** Reads files and directories ahead of the (synchronous) parser, following includes. */
class Prefetcher {
  readonly files = new Map<string, string>();
  readonly listings = new Map<string, readonly string[]>();
  private readonly visited = new Set<string>();
  constructor(private readonly limits: Required<Omit<LoadProfileOptions, 'env'>>) {}

  private async readText(path: string): Promise<string> {
    const info = await stat(path);
    const limit = this.limits.maxFileBytes;
    if (info.size > limit) {
      throw new ProfileError(`file of ${info.size} bytes exceeds the ${limit}-byte limit`, {
        file: path,
        line: 0,
      });
    }
    const text = await readFile(path, 'utf8');
    if (text.length > limit)
      throw new ProfileError(`file exceeds the ${limit}-byte limit`, { file: path, line: 0 });
    return text;
  }

  /**
   * Reads `path` once and, recursively, what it includes. A file that cannot be read is
   * left out: the parser then reports the include that named it, with its line.
   */
  async file(path: string, depth: number): Promise<void> {
    if (this.visited.has(path) || depth > this.limits.maxIncludeDepth) return;
    this.visited.add(path);
    if (this.visited.size > this.limits.maxFiles) {
      throw new ProfileError(`more than ${this.limits.maxFiles} profile files`, { file: path, line: 0 });
    }
    let text: string;
    try {
      text = await this.readText(path);
    } catch (error) {
      if (error instanceof ProfileError) throw error;
      return;
    }
    this.files.set(path, text);
    for (const line of text.split('\n')) {
      const directive = includeDirectiveOf(line);
      if (directive === undefined || directive.path === '') continue;
      if (directive.kind === 'include') await this.file(directive.path, depth + 1);
      else await this.dir(directive.path, depth + 1);
    }
  }

  /** Lists a directory (once) and reads the files includedir would read; returns their paths. */
  async dir(path: string, depth: number): Promise<string[]> {
    let names = this.listings.get(path);
    if (names === undefined) {
      try {
        names = await readdir(path);
      } catch {
        return [];
      }
      this.listings.set(path, names);
    }
    const paths = includedFileNames(names).map((name) => joinIncludePath(path, name));
    for (const file of paths) await this.file(file, depth);
    return paths;
  }
}

/**
 * Reads and parses the profile files at `paths` (default: KRB5_CONFIG split on `:`, or
 * /etc/krb5.conf) with their includes. A path that is a directory contributes its files as
 * `includedir` would (MIT ≥ 1.14); `~/` is expanded with HOME. Absent or unreadable
 * top-level paths are skipped, as in MIT: no file at all gives an empty profile, only
 * unreadable ones a ProfileError. Throws ProfileSyntaxError or ProfileIncludeError with the
 * file and line, ProfileError for files over the limits.
 */
export async function loadProfile(
  paths?: string | readonly string[],
  options: LoadProfileOptions = {},
): Promise<Profile> {
  const env = options.env ?? process.env;
  const given = paths === undefined ? defaultProfilePaths(env) : typeof paths === 'string' ? [paths] : paths;
  const list = given.map((p) => expandHome(p, env));
  const limits = {
    maxFileBytes: options.maxFileBytes ?? 1024 * 1024,
    maxFiles: options.maxFiles ?? 256,
    maxIncludeDepth: options.maxIncludeDepth ?? 16,
  };
  const prefetch = new Prefetcher(limits);
  const sources: ProfileSource[] = [];
  let unreadable: { path: string; error: unknown } | undefined;
  for (const path of list) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (error) {
      const code = errnoOf(error);
      if (code !== undefined && ABSENT.has(code)) continue;
      if (code !== undefined && UNREADABLE.has(code)) {
        unreadable ??= { path, error };
        continue;
      }
      throw new ProfileError(`cannot read ${path}`, { file: path, line: 0 }, { cause: error });
    }
    const files = isDir ? await prefetch.dir(path, 0) : [path];
    if (!isDir) await prefetch.file(path, 0);
    for (const file of files) {
      const text = prefetch.files.get(file);
      if (text !== undefined) sources.push({ text, filename: file });
      else if (isDir) {
        throw new ProfileIncludeError('FAIL_INCLUDE_FILE', file, `cannot read ${file}`, { file, line: 0 });
      } else {
        unreadable ??= { path: file, error: undefined };
      }
    }
  }
  // As MIT: no file at all is an empty profile, but only unreadable ones is an error.
  if (sources.length === 0 && unreadable !== undefined) {
    throw new ProfileError(
      `cannot read ${unreadable.path}`,
      { file: unreadable.path, line: 0 },
      { cause: unreadable.error },
    );
  }
  return parseProfiles(sources, {
    fs: memoryProfileFs(prefetch.files, prefetch.listings),
    maxIncludeDepth: limits.maxIncludeDepth,
  });
}

/** loadProfile, then readKrb5Config. */
export async function loadKrb5Config(
  paths?: string | readonly string[],
  options: LoadProfileOptions = {},
): Promise<Krb5Config> {
  return readKrb5Config(await loadProfile(paths, options));
}
