import { AsReq, decode, kdcOptionNames, TgsReq } from '@postntlm/krb5-messages';
import { describe, expect, it } from 'vitest';
import { getInitialCredentials, getServiceTicket, renewCredential } from '../../src/client.js';
import { parseProfile, readKrb5Config } from '../../src/config/index.js';
import { fixedClock, type KdcExchange, seededRandom } from '../../src/exchange/index.js';
import { FakeKdcNetwork } from './fake-kdc.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

async function setup() {
  const net = new FakeKdcNetwork(fixedClock(T0), seededRandom(4));
  await net.addRealm('R.TEST', {
    principals: { alice: { password: 'pw' }, 'cifs/h.r.test': { password: 'c' } },
  });
  return net;
}

const config = readKrb5Config(
  parseProfile(
    [
      '[libdefaults]',
      ' default_realm = R.TEST',
      ' forwardable = true',
      ' ticket_lifetime = 8h',
      ' renew_lifetime = 2d',
      ' default_tkt_enctypes = aes128-cts aes256-cts',
      ' default_tgs_enctypes = aes256-sha2',
      '[realms]',
      ' R.TEST = {',
      '  kdc = 127.0.0.1:1',
      ' }',
    ].join('\n'),
  ),
);

describe('getInitialCredentials / getServiceTicket', () => {
  it('take defaults from [libdefaults] and drive the exchanges through `send`', async () => {
    const net = await setup();
    const exchanges: KdcExchange[] = [];
    const common = {
      config,
      send: net.send,
      clock: fixedClock(T0),
      random: seededRandom(9),
      onExchange: (e: KdcExchange) => exchanges.push(e),
    };
    const tgt = await getInitialCredentials({ ...common, client: 'alice', credentials: { password: 'pw' } });
    const asBody = decode(AsReq, exchanges[0]!.messages[0]!.bytes).reqBody.value;
    expect(asBody.cname!.nameString).toEqual(['alice']);
    expect(asBody.realm).toBe('R.TEST');
    expect(asBody.etype).toEqual([17, 18]);
    expect(kdcOptionNames(asBody.kdcOptions)).toEqual(['forwardable', 'renewable', 'renewableOk']);
    expect(asBody.till.getTime() - T0).toBe(8 * 3600_000);
    expect(asBody.rtime!.getTime() - T0).toBe(2 * 24 * 3600_000);
    expect(tgt.sessionKey.enctype).toBe(17);

    const st = await getServiceTicket({ ...common, tgt, server: 'cifs/h.r.test' });
    const tgsBody = decode(TgsReq, exchanges[1]!.messages[0]!.bytes).reqBody.value;
    expect(tgsBody.etype).toEqual([20]);
    expect(st.sessionKey.enctype).toBe(20);

    const renewed = await renewCredential(tgt, common);
    expect(renewed.server).toEqual(tgt.server);
    expect(exchanges).toHaveLength(3);
  });

  it('explicit options win over the profile; RC4 in the profile is dropped unless allowed', async () => {
    const net = await setup();
    const rc4 = readKrb5Config(
      parseProfile('[libdefaults]\n default_realm = R.TEST\n default_tkt_enctypes = rc4-hmac aes256-cts\n'),
    );
    const exchanges: KdcExchange[] = [];
    await getInitialCredentials({
      config: rc4,
      send: net.send,
      client: 'alice',
      credentials: { password: 'pw' },
      options: { forwardable: false, lifetimeSeconds: 600 },
      clock: fixedClock(T0),
      onExchange: (e) => exchanges.push(e),
    });
    const body = decode(AsReq, exchanges[0]!.messages[0]!.bytes).reqBody.value;
    expect(body.etype).toEqual([18]);
    expect(kdcOptionNames(body.kdcOptions)).toEqual(['renewableOk']);
    expect(body.till.getTime() - T0).toBe(600_000);
  });

  it('a client name without a realm and no default_realm is an error', async () => {
    await expect(
      getInitialCredentials({
        client: 'alice',
        credentials: { password: 'pw' },
        send: async () => new Uint8Array(),
      }),
    ).rejects.toThrow(/no realm/);
  });
});
