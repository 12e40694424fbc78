/** `lkdc principal add|del|list|show|passwd|modify|alias|unalias`. */
import { enctypeFromName, getEnctype } from '@postntlm/krb5-crypto';
import type { KeySource } from '../../store/derive-keys.js';
import type { KdcDatabase, PrincipalSettings } from '../../store/kdc-database.js';
import {
  flag,
  type OptionSpec,
  type Parsed,
  parse,
  parseDate,
  parseDuration,
  str,
  UsageError,
} from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { json, principalJson, principalText } from '../format.js';
import { type CliIo, firstLine } from '../io.js';
import { COMMON, type Command, stateDir, withDatabase } from './common.js';

const KEY_OPTIONS: OptionSpec = {
  'password-stdin': { type: 'boolean' },
  'random-key': { type: 'boolean' },
  enctypes: { type: 'string' },
};

const SETTING_OPTIONS: OptionSpec = {
  'requires-preauth': { type: 'boolean' },
  'no-preauth': { type: 'boolean' },
  'no-auth-data-required': { type: 'boolean' },
  'auth-data-required': { type: 'boolean' },
  'allow-server': { type: 'boolean' },
  'disallow-server': { type: 'boolean' },
  disable: { type: 'boolean' },
  enable: { type: 'boolean' },
  'max-life': { type: 'string' },
  'max-renew': { type: 'string' },
  expires: { type: 'string' },
};

/** A yes/no setting given by a pair of opposite flags (`--disable` / `--enable`). */
function pair(p: Parsed, on: string, off: string): boolean | undefined {
  if (flag(p, on) && flag(p, off)) throw new UsageError(`--${on} and --${off} contradict each other`);
  return flag(p, on) ? true : flag(p, off) ? false : undefined;
}

function limit(p: Parsed, name: string): number | null | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  return v === 'none' || v === 'default' ? null : parseDuration(v, `--${name}`);
}

function settingsOf(p: Parsed): PrincipalSettings {
  const expires = str(p, 'expires');
  const entries: [keyof PrincipalSettings, unknown][] = [
    ['requiresPreauth', pair(p, 'requires-preauth', 'no-preauth')],
    ['noAuthDataRequired', pair(p, 'no-auth-data-required', 'auth-data-required')],
    ['disallowServer', pair(p, 'disallow-server', 'allow-server')],
    ['disabled', pair(p, 'disable', 'enable')],
    ['maxLifeSeconds', limit(p, 'max-life')],
    ['maxRenewSeconds', limit(p, 'max-renew')],
    [
      'expiresAt',
      expires === undefined ? undefined : expires === 'never' ? null : parseDate(expires, '--expires'),
    ],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as PrincipalSettings;
}

async function keySource(p: Parsed, io: CliIo, name: string): Promise<KeySource> {
  const enctypeText = str(p, 'enctypes');
  let enctypes: number[] | undefined;
  if (enctypeText !== undefined) {
    try {
      enctypes = enctypeText.split(',').map((text) => {
        const e = text.trim();
        const id = /^\d+$/.test(e) ? Number(e) : enctypeFromName(e);
        if (id === undefined) throw new Error(`unknown enctype ${JSON.stringify(e)}`);
        return getEnctype(id).id;
      });
    } catch (e) {
      throw new UsageError(`--enctypes: ${(e as Error).message}`);
    }
  }
  const base = enctypes === undefined ? {} : { enctypes };
  if (flag(p, 'random-key')) {
    if (flag(p, 'password-stdin'))
      throw new UsageError('--random-key and --password-stdin contradict each other');
    return { ...base, randomKey: true };
  }
  if (flag(p, 'password-stdin')) return { ...base, password: firstLine(await io.readStdin()) };
  if (io.promptSecret === undefined) {
    throw new UsageError(`no terminal to ask for ${name}'s password: use --password-stdin or --random-key`);
  }
  const password = await io.promptSecret(`Password for ${name}: `);
  const again = await io.promptSecret(`Again, password for ${name}: `);
  if (password !== again) throw new UsageError('the passwords differ');
  return { ...base, password };
}

function show(io: CliIo, p: Parsed, db: KdcDatabase, name: string): void {
  const info = db.principalInfo(name);
  io.stdout(flag(p, 'json') ? json(principalJson(info)) : `${principalText(info)}\n`);
}

type Sub = (argv: readonly string[], io: CliIo) => Promise<number>;

const SUBCOMMANDS: Record<string, { usage: string; run: Sub }> = {
  add: {
    usage:
      'lkdc principal add NAME [--password-stdin | --random-key] [--user | --service] [--enctypes LIST] [--no-preauth] [--no-auth-data-required] [--allow-server] [--disable] [--max-life D] [--max-renew D] [--expires DATE] [--state DIR] [--json]',
    async run(argv, io) {
      const usage = SUBCOMMANDS.add?.usage ?? '';
      const p = parse(
        argv,
        {
          ...COMMON,
          ...KEY_OPTIONS,
          ...SETTING_OPTIONS,
          user: { type: 'boolean' },
          service: { type: 'boolean' },
        },
        { min: 1, max: 1, usage },
      );
      const name = p.positionals[0] as string;
      if (flag(p, 'user') && flag(p, 'service'))
        throw new UsageError('--user and --service contradict each other');
      const kind = flag(p, 'user') ? 'user' : flag(p, 'service') ? 'service' : undefined;
      const settings = settingsOf(p);
      return withDatabase(stateDir(p, io), async (db) => {
        const source = await keySource(p, io, name);
        const info = await db.addPrincipal(name, {
          ...source,
          ...(kind === undefined ? {} : { kind }),
          settings,
        });
        if (flag(p, 'json')) io.stdout(json(principalJson(info)));
        else io.stdout(`Principal ${info.name} added (kvno ${info.kvno}).\n`);
        return ExitCode.OK;
      });
    },
  },
  del: {
    usage: 'lkdc principal del NAME [--state DIR]',
    async run(argv, io) {
      const p = parse(argv, COMMON, { min: 1, max: 1, usage: SUBCOMMANDS.del?.usage ?? '' });
      return withDatabase(stateDir(p, io), async (db) => {
        const name = db.principalInfo(p.positionals[0] as string).name;
        await db.deletePrincipal(name);
        io.stdout(`Principal ${name} deleted.\n`);
        return ExitCode.OK;
      });
    },
  },
  list: {
    usage: 'lkdc principal list [PATTERN] [--state DIR] [--json]',
    async run(argv, io) {
      const p = parse(argv, COMMON, { min: 0, max: 1, usage: SUBCOMMANDS.list?.usage ?? '' });
      return withDatabase(stateDir(p, io), async (db) => {
        const names = db.listPrincipals(p.positionals[0]);
        if (flag(p, 'json')) {
          io.stdout(
            json(
              names.map((n) => {
                const info = principalJson(db.principalInfo(n));
                return {
                  name: info.name,
                  kind: info.kind,
                  kvno: info.kvno,
                  disabled: info.disabled,
                  lockedOut: info.lockedOut,
                };
              }),
            ),
          );
        } else {
          io.stdout(names.map((n) => `${n}\n`).join(''));
        }
        return ExitCode.OK;
      });
    },
  },
  show: {
    usage: 'lkdc principal show NAME [--state DIR] [--json]',
    async run(argv, io) {
      const p = parse(argv, COMMON, { min: 1, max: 1, usage: SUBCOMMANDS.show?.usage ?? '' });
      return withDatabase(stateDir(p, io), async (db) => {
        show(io, p, db, p.positionals[0] as string);
        return ExitCode.OK;
      });
    },
  },
  passwd: {
    usage:
      'lkdc principal passwd NAME [--password-stdin | --random-key] [--enctypes LIST] [--state DIR] [--json]',
    async run(argv, io) {
      const p = parse(
        argv,
        { ...COMMON, ...KEY_OPTIONS },
        { min: 1, max: 1, usage: SUBCOMMANDS.passwd?.usage ?? '' },
      );
      const name = p.positionals[0] as string;
      return withDatabase(stateDir(p, io), async (db) => {
        const canonical = db.principalInfo(name).name;
        const kvno = await db.setKeys(canonical, await keySource(p, io, canonical));
        if (flag(p, 'json')) io.stdout(json({ name: canonical, kvno }));
        else io.stdout(`Keys of ${canonical} changed (kvno ${kvno}).\n`);
        return ExitCode.OK;
      });
    },
  },
  modify: {
    usage:
      'lkdc principal modify NAME [--disable | --enable] [--unlock] [--requires-preauth | --no-preauth] [--no-auth-data-required | --auth-data-required] [--allow-server | --disallow-server] [--max-life D|none] [--max-renew D|none] [--expires DATE|never] [--state DIR] [--json]',
    async run(argv, io) {
      const p = parse(
        argv,
        { ...COMMON, ...SETTING_OPTIONS, unlock: { type: 'boolean' } },
        { min: 1, max: 1, usage: SUBCOMMANDS.modify?.usage ?? '' },
      );
      const changes = { ...settingsOf(p), ...(flag(p, 'unlock') ? { unlock: true } : {}) };
      if (Object.keys(changes).length === 0)
        throw new UsageError('nothing to change: give at least one option');
      return withDatabase(stateDir(p, io), async (db) => {
        await db.modifyPrincipal(p.positionals[0] as string, changes);
        show(io, p, db, p.positionals[0] as string);
        return ExitCode.OK;
      });
    },
  },
  alias: {
    usage: 'lkdc principal alias ALIAS TARGET [--state DIR]',
    async run(argv, io) {
      const p = parse(argv, COMMON, { min: 2, max: 2, usage: SUBCOMMANDS.alias?.usage ?? '' });
      return withDatabase(stateDir(p, io), async (db) => {
        await db.addAlias(p.positionals[0] as string, p.positionals[1] as string);
        io.stdout(`${p.positionals[0]} now names ${db.principalInfo(p.positionals[1] as string).name}.\n`);
        return ExitCode.OK;
      });
    },
  },
  unalias: {
    usage: 'lkdc principal unalias ALIAS [--state DIR]',
    async run(argv, io) {
      const p = parse(argv, COMMON, { min: 1, max: 1, usage: SUBCOMMANDS.unalias?.usage ?? '' });
      return withDatabase(stateDir(p, io), async (db) => {
        await db.removeAlias(p.positionals[0] as string);
        io.stdout(`Alias ${p.positionals[0]} removed.\n`);
        return ExitCode.OK;
      });
    },
  },
};

export const principal: Command = {
  usage: `lkdc principal ${Object.keys(SUBCOMMANDS).join('|')} ...`,
  summary: 'add, delete, list, show, re-key and modify principals',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const command = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (command === undefined) {
      throw new UsageError(
        `usage:\n${Object.values(SUBCOMMANDS)
          .map((c) => `  ${c.usage}`)
          .join('\n')}`,
      );
    }
    return command.run(rest, io);
  },
};

/** Usage lines of every subcommand, for `lkdc --help`. */
export const principalUsages = (): string[] => Object.values(SUBCOMMANDS).map((c) => c.usage);
