/** `ls`, `get`, `put`, `mkdir`, `rm`, `mv` on //HOST/SHARE/PATH, and the listing format they share with the shell. */
import { open, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SmbDirent, SmbTree } from '@postntlm/smb2-client';
import { flag, type Parsed, parse, SMB_OPTIONS } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { connect } from '../connect.js';
import { ExitCode, usageError } from '../exit-codes.js';
import { progressBar } from '../progress.js';
import { parseTarget } from '../target.js';

const pad2 = (n: number) => String(n).padStart(2, '0');
const when = (d: Date) =>
  `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;

export function formatListing(entries: readonly SmbDirent[]): string {
  const sorted = [...entries].sort((a, b) => a.name.localeCompare(b.name));
  const width = Math.max(4, ...sorted.map((e) => e.name.length));
  return sorted
    .map(
      (e) =>
        `  ${e.name.padEnd(width)}  ${e.isDirectory() ? 'D' : 'A'}  ${String(e.size).padStart(12)}  ${when(e.mtime)}\n`,
    )
    .join('');
}

export const listingJson = (entries: readonly SmbDirent[]) =>
  entries.map((e) => ({
    name: e.name,
    type: e.isDirectory() ? 'directory' : 'file',
    size: e.size,
    mtime: e.mtime.toISOString(),
  }));

/** Where a download goes: `local`, or inside it under the remote name when it is a directory. */
async function localDestination(local: string, remote: string): Promise<string> {
  const info = await stat(local).catch(() => undefined);
  return info?.isDirectory() === true ? join(local, basename(remote)) : local;
}

/** Downloads `remote` to `local` (a file or a directory); resolves to the file written and its size. */
export async function download(
  tree: SmbTree,
  remote: string,
  local: string,
  io: AppIo,
): Promise<{ local: string; bytes: number }> {
  const info = await tree.stat(remote);
  if (info.isDirectory()) throw usageError(`${remote} is a directory`);
  const dest = await localDestination(local, remote);
  const progress = progressBar(`get ${basename(remote)}`, info.size, io.stderr, io.stderrIsTty);
  const handle = await tree.open(remote, 'r');
  try {
    const file = await open(dest, 'w');
    try {
      // Lent chunks: each is written out before the loop takes the next (then it is reused).
      for await (const chunk of handle.readChunks()) {
        await file.write(chunk);
        progress.add(chunk.length);
      }
    } finally {
      await file.close();
    }
  } finally {
    await handle.close();
  }
  progress.done();
  return { local: dest, bytes: info.size };
}

export async function upload(tree: SmbTree, local: string, remote: string, io: AppIo): Promise<number> {
  const info = await stat(local);
  if (!info.isFile()) throw usageError(`${local} is not a file`);
  const progress = progressBar(`put ${basename(local)}`, info.size, io.stderr, io.stderrIsTty);
  const file = await open(local, 'r');
  try {
    const handle = await tree.open(remote, 'w');
    try {
      await handle.writeFrom(async (buffer, at) => {
        const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
        progress.add(bytesRead);
        return bytesRead;
      });
    } finally {
      await handle.close();
    }
  } finally {
    await file.close();
  }
  progress.done();
  return info.size;
}

type Op = (tree: SmbTree, path: string, p: Parsed, io: AppIo) => Promise<void>;

const OPS: Record<string, { usage: string; args: [number, number]; run: Op }> = {
  ls: {
    usage: 'postntlm-smb ls //HOST/SHARE[/PATH] [options]',
    args: [1, 1],
    async run(tree, path, p, io) {
      const info = path === '' ? undefined : await tree.stat(path);
      const entries =
        info === undefined || info.isDirectory()
          ? await tree.readdir(path)
          : [{ ...info, name: basename(path), isDirectory: () => false, isFile: () => true }];
      io.stdout(
        flag(p, 'json') ? `${JSON.stringify(listingJson(entries), null, 2)}\n` : formatListing(entries),
      );
    },
  },
  get: {
    usage: 'postntlm-smb get //HOST/SHARE/PATH [LOCAL] [options]',
    args: [1, 2],
    async run(tree, path, p, io) {
      if (path === '') throw usageError('get: name a file: //HOST/SHARE/PATH');
      const { local, bytes } = await download(tree, path, p.positionals[1] ?? basename(path), io);
      if (flag(p, 'json')) io.stdout(`${JSON.stringify({ get: path, local, bytes })}\n`);
    },
  },
  put: {
    usage: 'postntlm-smb put LOCAL //HOST/SHARE[/PATH] [options]',
    args: [2, 2],
    async run(tree, path, p, io) {
      const local = p.positionals[0] as string;
      // A target that is a directory (or the share root) receives the file under its own name.
      const isDir = path === '' || ((await tree.exists(path)) && (await tree.stat(path)).isDirectory());
      const remote = isDir ? (path === '' ? basename(local) : `${path}/${basename(local)}`) : path;
      const size = await upload(tree, local, remote, io);
      if (flag(p, 'json')) io.stdout(`${JSON.stringify({ put: remote, local, bytes: size })}\n`);
    },
  },
  mkdir: {
    usage: 'postntlm-smb mkdir //HOST/SHARE/PATH [options]',
    args: [1, 1],
    async run(tree, path, p, io) {
      if (path === '') throw usageError('mkdir: name the directory: //HOST/SHARE/PATH');
      await tree.mkdir(path);
      if (flag(p, 'json')) io.stdout(`${JSON.stringify({ mkdir: path })}\n`);
    },
  },
  rm: {
    usage: 'postntlm-smb rm //HOST/SHARE/PATH [--recursive] [options]',
    args: [1, 1],
    async run(tree, path, p, io) {
      if (path === '') throw usageError('rm: will not remove the share root');
      const info = await tree.stat(path);
      // An empty directory goes without --recursive (a non-empty one: STATUS_DIRECTORY_NOT_EMPTY).
      if (info.isDirectory() && !flag(p, 'recursive')) await tree.rmdir(path);
      else await tree.rm(path, { recursive: flag(p, 'recursive') });
      if (flag(p, 'json')) io.stdout(`${JSON.stringify({ rm: path })}\n`);
    },
  },
  mv: {
    usage: 'postntlm-smb mv //HOST/SHARE/FROM TO [--replace] [options]  (TO: a path in the same share)',
    args: [2, 2],
    async run(tree, path, p, io) {
      const to = (p.positionals[1] as string).replace(/\\/g, '/');
      const dest = to.startsWith('//') ? parseTarget(to).path : to.replace(/^\/+/, '');
      if (path === '' || dest === '') throw usageError('mv: the share root cannot be renamed or replaced');
      await tree.rename(path, dest, { replace: flag(p, 'replace') });
      if (flag(p, 'json')) io.stdout(`${JSON.stringify({ mv: path, to: dest })}\n`);
    },
  },
};

export const FILE_COMMANDS = Object.keys(OPS);
export const fileUsages = (): string[] => Object.values(OPS).map((o) => o.usage);

export async function fileCommand(name: string, argv: readonly string[], io: AppIo): Promise<number> {
  const op = OPS[name];
  if (op === undefined) throw usageError(`unknown command ${name}`);
  const p = parse(
    argv,
    { ...SMB_OPTIONS, recursive: { type: 'boolean' }, replace: { type: 'boolean' } },
    op.usage,
    {
      min: op.args[0],
      max: op.args[1],
    },
  );
  const targetText = name === 'put' ? (p.positionals[1] as string) : (p.positionals[0] as string);
  const target = parseTarget(targetText);
  const client = await connect(target, p, io);
  try {
    const tree = await client.tree(target.share);
    await op.run(tree, target.path, p, io);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}
