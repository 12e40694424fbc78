/** `postntlm-smbd ntlm-audit`: who still tried NTLM, when, with what. */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { flag, type Parsed, parse, str } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { loadConfig } from '../config/load.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { readNtlmAudit } from '../ntlm-audit-log.js';
import { serverPaths } from '../state-dir.js';

export const NTLM_AUDIT_USAGE = 'postntlm-smbd ntlm-audit [--state STATE] [--config FILE] [--json]';

export async function ntlmAudit(
  argv: readonly string[],
  io: AppIo,
  stateDir: (p: Parsed) => string,
): Promise<number> {
  const p = parse(
    argv,
    { state: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } },
    NTLM_AUDIT_USAGE,
    0,
  );
  const dir = stateDir(p);
  const config = await loadConfig(str(p, 'config') ?? serverPaths(dir).config);
  // No configuration and no state directory: a mistyped --state, not "nobody used NTLM".
  if (config === undefined && !existsSync(dir))
    throw new CliError(ExitCode.STATE, `no server state in ${dir}: run postntlm-smbd serve DIR first`);
  const configured = config?.log.ntlmAudit ?? 'ntlm-audit.jsonl';
  const records = await readNtlmAudit(isAbsolute(configured) ? configured : join(dir, configured));
  if (flag(p, 'json')) {
    io.stdout(`${JSON.stringify(records, null, 2)}\n`);
    return ExitCode.OK;
  }
  if (records.length === 0) {
    io.stdout('No NTLM attempts recorded.\n');
    return ExitCode.OK;
  }
  const peers = new Map<string, number>();
  for (const r of records) {
    const host = r.peer.replace(/:\d+$/, '');
    peers.set(host, (peers.get(host) ?? 0) + 1);
  }
  io.stdout(`${'when'.padEnd(26)}${'client'.padEnd(24)}offered\n`);
  for (const r of records) io.stdout(`${r.at.padEnd(26)}${r.peer.padEnd(24)}${r.offered.join(', ')}\n`);
  io.stdout(
    `\n${records.length} refused NTLM attempt${records.length === 1 ? '' : 's'} from ${peers.size} client${peers.size === 1 ? '' : 's'}: ` +
      `${[...peers].map(([h, n]) => `${h} (${n})`).join(', ')}\n`,
  );
  return ExitCode.OK;
}
