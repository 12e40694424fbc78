/** `lkdc keytab export`: principals' keys into a keytab file (MIT ktadd -norandkey; keys are not changed). */
import {
  type KeytabEntry,
  loadKeytab,
  principalEquals,
  saveKeytab,
  unparsePrincipal,
} from '@postntlm/krb5-messages';
import { flag, parse, str, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { etypeLabel, json } from '../format.js';
import { COMMON, type Command, stateDir, withDatabase } from './common.js';

const USAGE =
  'lkdc keytab export --out FILE [--current-only] [--replace] [--state DIR] [--json] PRINCIPAL...';

const sameSlot = (a: KeytabEntry, b: KeytabEntry): boolean =>
  a.kvno === b.kvno && a.key.enctype === b.key.enctype && principalEquals(a.principal, b.principal);

export const keytab: Command = {
  usage: USAGE,
  summary: "write principals' keys (every kept kvno) to a keytab file, mode 0600",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'export') throw new UsageError(`usage: ${USAGE}`);
    const p = parse(
      rest,
      {
        ...COMMON,
        out: { type: 'string', short: 'o' },
        'current-only': { type: 'boolean' },
        replace: { type: 'boolean' },
      },
      { min: 1, max: Number.POSITIVE_INFINITY, usage: USAGE },
    );
    const out = str(p, 'out');
    if (out === undefined) throw new UsageError(`--out FILE is required\nusage: ${USAGE}`);
    return withDatabase(stateDir(p, io), async (db) => {
      const fresh = db.exportKeytab(p.positionals, { currentOnly: flag(p, 'current-only') });
      // Like MIT's ktadd, add to an existing keytab; entries for the same principal, kvno and enctype are replaced.
      let kept: KeytabEntry[] = [];
      if (!flag(p, 'replace')) {
        try {
          kept = (await loadKeytab(out)).filter((old) => !fresh.some((e) => sameSlot(old, e)));
        } catch (e) {
          if (
            (e as NodeJS.ErrnoException).code !== 'ENOENT' &&
            !String((e as Error).message).includes('ENOENT')
          )
            throw e;
        }
      }
      await saveKeytab(out, [...kept, ...fresh]);
      const rows = fresh.map((e) => ({
        principal: unparsePrincipal(e.principal),
        kvno: e.kvno,
        enctype: e.key.enctype,
        enctypeName: etypeLabel(e.key.enctype),
      }));
      if (flag(p, 'json')) io.stdout(json({ keytab: out, kept: kept.length, written: rows }));
      else
        io.stdout(
          rows
            .map((r) => `Entry for ${r.principal} kvno ${r.kvno}, ${r.enctypeName}, added to ${out}.\n`)
            .join(''),
        );
      return ExitCode.OK;
    });
  },
};
