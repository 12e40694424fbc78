/** Our initiator, our acceptor and an in-process Local KDC: the whole IAKerb flow in each dialect. */
import { describe, expect, it } from 'vitest';
import {
  engineTransport,
  IakerbAcceptor,
  type IakerbDialect,
  type IakerbEvent,
  IakerbInitiator,
} from '../src/index.js';
import { PASSWORD, SERVICE, testRealm } from './helpers.js';

async function run(initiator: IakerbInitiator, acceptor: IakerbAcceptor) {
  let step = await initiator.step();
  for (let i = 0; i < 20; i++) {
    if (step.error) throw step.error;
    if (step.outputToken === undefined) break;
    const reply = await acceptor.step(step.outputToken);
    if (reply.error) throw reply.error;
    if (reply.outputToken === undefined) break;
    step = await initiator.step(reply.outputToken);
    if (step.done) break;
  }
  return step;
}

describe('IAKerb end to end (in process)', () => {
  it.each<[IakerbDialect, boolean]>([
    ['draft', true],
    ['draft', false],
    ['windows', false],
    ['mit-legacy', false],
  ])('dialect %s (realm discovery: %s)', async (dialect, discovery) => {
    const { realm, kdc, keytab } = await testRealm();
    const events: IakerbEvent[] = [];
    const initiator = new IakerbInitiator({
      client: discovery ? 'alice' : `alice@${realm}`,
      credentials: { password: PASSWORD },
      server: SERVICE,
      dialect,
      onEvent: (e) => events.push(e),
    });
    const acceptor = new IakerbAcceptor({ realm, kdc: engineTransport(kdc), keytab });
    const step = await run(initiator, acceptor);
    expect(step.done).toBe(true);
    expect(acceptor.context?.client.name.nameString).toEqual(['alice']);
    expect(acceptor.dialect).toBe(dialect);
    expect(initiator.clientRealm).toBe(realm);
    const wrap = initiator.context?.wrap(new TextEncoder().encode('hello'));
    expect(new TextDecoder().decode(acceptor.context?.unwrap(wrap as Uint8Array).message)).toBe('hello');
    expect(events.map((e) => `${e.direction}:${e.type}`)).toEqual([
      ...(discovery ? ['out:realm-discovery', 'in:realm-discovery'] : []),
      'out:as-req',
      'in:krb-error',
      'out:as-req',
      'in:as-rep',
      'out:tgs-req',
      'in:tgs-rep',
      'out:ap-req',
      'in:ap-rep',
    ]);
  });
});
