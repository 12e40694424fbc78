/**
 * `kinit`, `klist`, `kdestroy`: MIT-compatible credential caches (FILE:, KRB5CCNAME),
 * so MIT's klist reads what `postntlm-smb kinit` writes and the other way round.
 */
import { open, rm } from 'node:fs/promises';
import {
  getInitialCredentials,
  loadCredentials,
  loadKrb5Config,
  parseKdcAddress,
  type SendToKdcOptions,
  saveCredentials,
} from '@postntlm/krb5-client';
import { type Principal, unparsePrincipal } from '@postntlm/krb5-messages';
import { ccacheName } from '../ccache-name.js';
import { flag, parse, str } from '../cli/args.js';
import { type AppIo, firstLine } from '../cli/io.js';
import { openLineReader } from '../cli/line-reader.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';

export const KINIT_USAGE =
  'postntlm-smb kinit [PRINCIPAL] [--password-stdin] [--kdc HOST:PORT] [--lifetime SECONDS] [--json]';
export const KLIST_USAGE = 'postntlm-smb klist [--json]';
export const KDESTROY_USAGE = 'postntlm-smb kdestroy';

const name = (p: Principal): string => unparsePrincipal(p);

/** The first line of stdin with --password-stdin; else asked for, unechoed, at a terminal (as MIT kinit). */
async function readPassword(fromStdin: boolean, client: string, io: AppIo): Promise<string> {
  let password: string | undefined;
  if (fromStdin) password = firstLine(await io.readStdin());
  else if (io.stdinIsTty) {
    const reader = openLineReader(io);
    try {
      password = await reader.secret(`Password for ${client}: `);
    } finally {
      reader.close();
    }
  } else throw usageError('kinit: standard input is not a terminal: give the password with --password-stdin');
  if (password === undefined || password.length === 0) throw usageError('kinit: no password given');
  return password;
}

/** `--kdc HOST:PORT` (or `tcp/HOST:PORT`, as in krb5.conf): this KDC instead of krb5.conf's. */
function kdcOption(spec: string | undefined): Omit<SendToKdcOptions, 'config'> {
  if (spec === undefined) return {};
  const parsed = parseKdcAddress(spec);
  if (!parsed.ok) throw usageError(`--kdc ${spec}: ${parsed.reason}`);
  return { kdcs: [{ address: parsed.address, source: 'config' }] };
}

export async function kinit(argv: readonly string[], io: AppIo): Promise<number> {
  const p = parse(
    argv,
    {
      'password-stdin': { type: 'boolean' },
      kdc: { type: 'string' },
      lifetime: { type: 'string' },
      json: { type: 'boolean' },
    },
    KINIT_USAGE,
    { min: 0, max: 1 },
  );
  const client = p.positionals[0] ?? io.env.USER;
  if (client === undefined) throw usageError(`kinit: name the principal\nusage: ${KINIT_USAGE}`);
  const lifetimeText = str(p, 'lifetime');
  const lifetime = lifetimeText === undefined ? undefined : Number(lifetimeText);
  if (lifetime !== undefined && (!Number.isInteger(lifetime) || lifetime <= 0))
    throw usageError(`--lifetime ${lifetimeText}: seconds`);
  const sendOptions = kdcOption(str(p, 'kdc'));
  const password = await readPassword(flag(p, 'password-stdin'), client, io);
  const config = await loadKrb5Config();
  const tgt = await getInitialCredentials({
    client,
    config,
    sendOptions,
    credentials: { password },
    options: { ...(lifetime === undefined ? {} : { lifetimeSeconds: lifetime }) },
  });
  const cache = ccacheName(io.env);
  await saveCredentials(cache, [tgt]);
  if (flag(p, 'json'))
    io.stdout(
      `${JSON.stringify({ ccache: cache, principal: name(tgt.client), expires: tgt.endtime.toISOString() })}\n`,
    );
  else io.stdout(`Ticket for ${name(tgt.client)} in ${cache}, valid until ${tgt.endtime.toISOString()}\n`);
  return ExitCode.OK;
}

const mitTime = (d: Date): string => {
  const z = (n: number) => String(n).padStart(2, '0');
  return `${z(d.getMonth() + 1)}/${z(d.getDate())}/${z(d.getFullYear() % 100)} ${z(d.getHours())}:${z(d.getMinutes())}:${z(d.getSeconds())}`;
};

export async function klist(argv: readonly string[], io: AppIo): Promise<number> {
  const p = parse(argv, { json: { type: 'boolean' } }, KLIST_USAGE, { min: 0, max: 0 });
  const cache = ccacheName(io.env);
  let loaded: Awaited<ReturnType<typeof loadCredentials>>;
  try {
    loaded = await loadCredentials(cache);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || /ENOENT|not found/i.test(String(e)))
      throw new CliError(ExitCode.NOT_FOUND, `klist: no credentials cache found (${cache})`, { cause: e });
    throw e;
  }
  const { defaultPrincipal, credentials } = loaded;
  if (flag(p, 'json')) {
    io.stdout(
      `${JSON.stringify(
        {
          ccache: cache,
          principal: name(defaultPrincipal),
          tickets: credentials.map((c) => ({
            server: name(c.server),
            start: (c.starttime ?? c.authtime).toISOString(),
            expires: c.endtime.toISOString(),
            enctype: c.sessionKey.enctype,
          })),
        },
        null,
        2,
      )}\n`,
    );
    return ExitCode.OK;
  }
  io.stdout(`Ticket cache: ${cache}\nDefault principal: ${name(defaultPrincipal)}\n\n`);
  io.stdout('Valid starting     Expires            Service principal\n');
  for (const c of credentials)
    io.stdout(`${mitTime(c.starttime ?? c.authtime)}  ${mitTime(c.endtime)}  ${name(c.server)}\n`);
  return ExitCode.OK;
}

/** Overwrites the cache's tickets and keys with zeros before unlinking it, as MIT's kdestroy does. */
async function wipe(path: string): Promise<void> {
  const file = await open(path, 'r+').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (file === undefined) return;
  try {
    const { size } = await file.stat();
    await file.write(new Uint8Array(size), 0, size, 0);
    await file.sync();
  } finally {
    await file.close();
  }
  await rm(path, { force: true });
}

export async function kdestroy(argv: readonly string[], io: AppIo): Promise<number> {
  parse(argv, {}, KDESTROY_USAGE, { min: 0, max: 0 });
  const cache = ccacheName(io.env);
  if (!cache.startsWith('FILE:') && /^[A-Z]+:/.test(cache))
    throw usageError(`kdestroy: only FILE: caches (${cache})`);
  await wipe(cache.replace(/^FILE:/, ''));
  return ExitCode.OK;
}
