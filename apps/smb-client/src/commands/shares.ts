/** `postntlm-smb shares //HOST`: the server's shares (srvsvc NetShareEnum). */
import { flag, parse, SMB_OPTIONS } from '../cli/args.js';
import type { AppIo } from '../cli/io.js';
import { connect } from '../connect.js';
import { ExitCode } from '../exit-codes.js';
import { parseTarget } from '../target.js';

export const SHARES_USAGE = 'postntlm-smb shares //HOST [options]';

export async function shares(argv: readonly string[], io: AppIo): Promise<number> {
  const p = parse(argv, SMB_OPTIONS, SHARES_USAGE, { min: 1, max: 1 });
  const target = parseTarget(p.positionals[0] as string, false);
  const client = await connect(target, p, io);
  try {
    const list = await client.listShares();
    if (flag(p, 'json')) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    else {
      const width = Math.max(9, ...list.map((s) => s.name.length));
      io.stdout(`  ${'Sharename'.padEnd(width)}  ${'Type'.padEnd(5)}  Comment\n`);
      for (const s of list) io.stdout(`  ${s.name.padEnd(width)}  ${s.type.padEnd(5)}  ${s.remark}\n`);
    }
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}
