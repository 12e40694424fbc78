import type { ProfileFileSystem } from './parse.js';

/**
 * A ProfileFileSystem over a map of absolute paths to file texts, for tests and for profiles
 * prefetched by the async loader. Directories are implied by the paths (`/etc/krb5.conf.d/a`
 * makes `/etc/krb5.conf.d` a directory listing `a`); `listings` adds entries (or empty
 * directories) that have no text, such as files that could not be read.
 */
export function memoryProfileFs(
  files: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
  listings: ReadonlyMap<string, readonly string[]> = new Map(),
): ProfileFileSystem {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  const directories = new Map<string, Set<string>>();
  const addDir = (dir: string): Set<string> => {
    let entries = directories.get(dir);
    if (entries === undefined) {
      entries = new Set();
      directories.set(dir, entries);
    }
    return entries;
  };
  for (const [dir, names] of listings) {
    const entries = addDir(dir.replace(/\/+$/, ''));
    for (const name of names) entries.add(name);
  }
  for (const path of map.keys()) {
    const slash = path.lastIndexOf('/');
    if (slash > 0) addDir(path.slice(0, slash)).add(path.slice(slash + 1));
  }
  return {
    readFile(path) {
      const text = map.get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file: ${path}`);
      return text;
    },
    readDir(path) {
      const entries = directories.get(path.replace(/\/+$/, ''));
      if (entries === undefined) throw new Error(`ENOENT: no such directory: ${path}`);
      return [...entries];
    },
  };
}
