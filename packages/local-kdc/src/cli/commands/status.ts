/** `lkdc status`: the realm, its principals and policy, and whether a KDC answers on the configured listeners. */
import { connect } from 'node:net';
import { formatListenAddress, type ListenSpec, parseListenAddress } from '../../admin/listen-address.js';
import { listenSpecs, readConfig, readRuntime } from '../../admin/state.js';
import { flag, parse } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { json, lockoutText } from '../format.js';
import { COMMON, type Command, stateDir, withDatabase } from './common.js';

const USAGE = 'lkdc status [--state DIR] [--json]';

/** Whether something accepts a connection there (stream listeners only: UDP cannot be probed without a request). */
function answers(spec: ListenSpec): Promise<boolean | undefined> {
  if (spec.transport === 'udp') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket =
      spec.transport === 'unix'
        ? connect({ path: spec.path })
        : connect({ host: spec.host, port: spec.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const status: Command = {
  usage: USAGE,
  summary: 'show the realm, principals, lockouts and whether the KDC is answering',
  async run(argv, io) {
    const p = parse(argv, COMMON, { min: 0, max: 0, usage: USAGE });
    const dir = stateDir(p, io);
    const config = await readConfig(dir);
    return withDatabase(dir, async (db) => {
      const infos = db.listPrincipals().map((n) => db.principalInfo(n));
      const runtime = await readRuntime(dir);
      const specs = runtime === undefined ? listenSpecs(config) : runtime.listen.map(parseListenAddress);
      const probes = await Promise.all(specs.map(answers));
      const listeners = specs.map((s, i) => ({ address: formatListenAddress(s), answering: probes[i] }));
      const report = {
        state: dir,
        realm: db.realm,
        host: config.host,
        principals: infos.length,
        users: infos.filter((i) => i.kind === 'user').length,
        services: infos.filter((i) => i.kind === 'service').length,
        lockedOut: infos.filter((i) => i.lockedUntil !== undefined).map((i) => i.name),
        disabled: infos.filter((i) => i.disabled).map((i) => i.name),
        lockout: db.lockoutPolicy,
        listeners,
        running: probes.some((x) => x === true),
        pid: runtime?.pid ?? null,
        audit: config.audit ?? null,
      };
      if (flag(p, 'json')) {
        io.stdout(json(report));
        return ExitCode.OK;
      }
      io.stdout(
        `${[
          `Realm:       ${report.realm}`,
          `State:       ${dir}`,
          `Host:        ${report.host}`,
          `Principals:  ${report.principals} (${report.users} users, ${report.services} services)`,
          `Locked out:  ${report.lockedOut.join(' ') || '-'}`,
          `Disabled:    ${report.disabled.join(' ') || '-'}`,
          `Lockout:     ${lockoutText(report.lockout)}`,
          `Audit log:   ${report.audit ?? '-'}`,
          `KDC:         ${report.running ? `running${report.pid === null ? '' : ` (pid ${report.pid})`}` : 'not answering on its stream listeners'}`,
          ...listeners.map(
            (l) =>
              `  ${l.address.padEnd(40)} ${l.answering === undefined ? '(udp: not probed)' : l.answering ? 'answering' : 'no answer'}`,
          ),
        ].join('\n')}\n`,
      );
      return ExitCode.OK;
    });
  },
};
