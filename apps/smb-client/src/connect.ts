/** From the command line to a connected, authenticated `SmbClient` (with the trace, when asked). */
import { type SmbAuthOptions, SmbClient, type SmbClientOptions } from '@postntlm/smb2-client';
import { ccacheName } from './ccache-name.js';
import { flag, type Parsed, str } from './cli/args.js';
import { type AppIo, firstLine } from './cli/io.js';
import { usageError } from './exit-codes.js';
import type { SmbTarget } from './target.js';
import { withAuthTrace } from './trace-output.js';

const PROTECTIONS: Record<string, SmbClientOptions['protection']> = {
  off: 'none',
  sign: 'sign',
  encrypt: 'encrypt',
};

function port(p: Parsed): number | undefined {
  const text = str(p, 'port');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > 65535) throw usageError(`--port ${text}: 1-65535`);
  return n;
}

async function auth(p: Parsed, io: AppIo, stdinPassword: string | undefined): Promise<SmbAuthOptions> {
  const user = str(p, 'user');
  const keytab = str(p, 'keytab');
  if (stdinPassword !== undefined) {
    if (user === undefined) throw usageError('--password-stdin needs --user NAME');
    return { user, password: stdinPassword };
  }
  if (keytab !== undefined) {
    if (user === undefined) throw usageError('--keytab needs --user NAME');
    return { user, keytab };
  }
  // No password: the tickets of the credential cache (postntlm-smb kinit, or MIT kinit).
  return { ccache: ccacheName(io.env), ...(user === undefined ? {} : { user }) };
}

/** Reads the password when --password-stdin is given (before anything else uses stdin). */
export async function passwordFromStdin(p: Parsed, io: AppIo): Promise<string | undefined> {
  if (!flag(p, 'password-stdin')) return undefined;
  const password = firstLine(await io.readStdin());
  if (password.length === 0) throw usageError('--password-stdin: standard input holds no password');
  return password;
}

export async function connect(
  target: SmbTarget,
  p: Parsed,
  io: AppIo,
  stdinPassword?: string,
): Promise<SmbClient> {
  const protectionText = str(p, 'protection') ?? 'sign';
  const protection = PROTECTIONS[protectionText];
  if (protection === undefined) throw usageError(`--protection ${protectionText}: off, sign or encrypt`);
  const iakerb = str(p, 'iakerb') ?? 'auto';
  if (iakerb !== 'auto' && iakerb !== 'always' && iakerb !== 'never')
    throw usageError(`--iakerb ${iakerb}: auto, always or never`);
  const portNumber = port(p); // every option checked before stdin is read
  const options: SmbClientOptions = {
    host: str(p, 'address') ?? target.host,
    serverName: target.host,
    auth: await auth(p, io, stdinPassword ?? (await passwordFromStdin(p, io))),
    protection,
    iakerb,
    ...(portNumber === undefined ? {} : { port: portNumber }),
  };
  return withAuthTrace(target.host, p, io, (hook) => SmbClient.connect({ ...options, ...hook }));
}
