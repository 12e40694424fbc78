/** `lkdc krb5conf`: the client krb5.conf for this realm and one of its listeners. */
import { krb5Conf } from '../../admin/krb5-conf.js';
import { type ListenSpec, parseListenAddress } from '../../admin/listen-address.js';
import { listenSpecs, readConfig, readRuntime } from '../../admin/state.js';
import { parse, str, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { COMMON, type Command, stateDir, withDatabase } from './common.js';

const USAGE = 'lkdc krb5conf [--state DIR] [--transport udp|tcp|unix | --kdc ADDR]';

export const krb5conf: Command = {
  usage: USAGE,
  summary: 'print a client krb5.conf for this realm and listener',
  async run(argv, io) {
    const p = parse(
      argv,
      { ...COMMON, transport: { type: 'string' }, kdc: { type: 'string' } },
      { min: 0, max: 0, usage: USAGE },
    );
    const dir = stateDir(p, io);
    const config = await readConfig(dir);
    const realm = await withDatabase(dir, async (db) => db.realm);
    const wanted = str(p, 'transport');
    const given = str(p, 'kdc');
    let kdc: ListenSpec | undefined;
    if (given !== undefined) kdc = parseListenAddress(given);
    else {
      // A running KDC's real addresses (ports chosen at start) beat the configured ones.
      const runtime = await readRuntime(dir);
      const specs = runtime === undefined ? listenSpecs(config) : runtime.listen.map(parseListenAddress);
      if (specs.some((s) => s.transport !== 'unix' && s.port === 0)) {
        throw new UsageError(
          `the KDC of ${dir} listens on port 0 (a free port chosen at start): start it, or give --kdc ADDR`,
        );
      }
      // UDP first: what MIT clients try first and what every MIT release reaches.
      const order = wanted === undefined ? ['udp', 'tcp', 'unix'] : [wanted];
      if (wanted !== undefined && !['udp', 'tcp', 'unix'].includes(wanted))
        throw new UsageError(`--transport: udp, tcp or unix\nusage: ${USAGE}`);
      for (const t of order) {
        kdc = specs.find((s) => s.transport === t);
        if (kdc !== undefined) break;
      }
      if (kdc === undefined)
        throw new UsageError(`no ${wanted ?? ''} listener in ${dir}/config.json: give --kdc ADDR`);
    }
    io.stdout(krb5Conf({ realm, kdc, host: config.host }));
    return ExitCode.OK;
  },
};
