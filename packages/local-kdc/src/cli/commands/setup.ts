/** `lkdc setup`: a new realm in a state directory. */
import { setupState } from '../../admin/state.js';
import { flag, list, parse, str } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { json } from '../format.js';
import { COMMON, type Command, stateDir } from './common.js';

const USAGE =
  'lkdc setup [--state DIR] [--realm REALM] [--host NAME] [--listen ADDR]... [--audit FILE] [--pac] [--json]';

export const setup: Command = {
  usage: USAGE,
  summary: 'create a realm: master key, krbtgt, host/NAME and cifs/NAME with a keytab',
  async run(argv, io) {
    const p = parse(
      argv,
      {
        ...COMMON,
        realm: { type: 'string' },
        host: { type: 'string' },
        listen: { type: 'string', multiple: true },
        audit: { type: 'string' },
      },
      { min: 0, max: 0, usage: USAGE },
    );
    const dir = stateDir(p, io);
    const listen = list(p, 'listen');
    const realm = str(p, 'realm');
    const host = str(p, 'host');
    const audit = str(p, 'audit');
    const result = await setupState(dir, {
      ...(realm === undefined ? {} : { realm }),
      ...(host === undefined ? {} : { host }),
      ...(listen.length === 0 ? {} : { listen }),
      ...(audit === undefined ? {} : { audit }),
      ...(flag(p, 'pac') ? { pac: true } : {}),
    });
    if (flag(p, 'json')) {
      io.stdout(json({ state: dir, ...result }));
      return ExitCode.OK;
    }
    const stateArg = str(p, 'state') === undefined ? '' : ` --state ${dir}`;
    io.stdout(
      [
        `Realm ${result.realm} created in ${dir}`,
        `Principals: ${result.principals.join(', ')}`,
        `Service keytab (host/${result.host}, cifs/${result.host}): ${result.keytab}`,
        '',
        'Next steps:',
        `  lkdc principal add alice${stateArg}          # a user (asks for the password)`,
        `  lkdc serve${stateArg}                        # start the KDC on ${result.config.listen.join(', ')}`,
        `  lkdc krb5conf${stateArg} > krb5.conf         # the client configuration`,
        `  KRB5_CONFIG=krb5.conf kinit alice@${result.realm}`,
        '',
      ].join('\n'),
    );
    return ExitCode.OK;
  },
};
