/**
 * Acceptance (issue 3, line 1): AS exchanges for alice against MIT krb5kdc 1.20, from the
 * password and from alice.keytab, once per enctype 17, 18, 19, 20; the TGT goes into a FILE
 * ccache that MIT's klist lists and with which MIT's kvno gets a service ticket.
 */
import { join } from 'node:path';
import { useMitKdc } from '@postntlm/interop';
import { decode, EtypeInfo2, PaDataType } from '@postntlm/krb5-messages';
import { beforeAll, describe, expect, it } from 'vitest';
import { getInitialCredentials } from '../../src/client.js';
import type { Krb5Config } from '../../src/config/index.js';
import { saveCredentials } from '../../src/credentials/index.js';
import { type AsExchange, credentialFlags, type KdcExchange } from '../../src/exchange/index.js';
import { kdcConfig, kdcLogMark, kdcLogSince, keytab, klistTime, MIT_ETYPE_NAMES } from './helpers.js';

const kdc = useMitKdc();
let config: Krb5Config;
beforeAll(async () => {
  config = await kdcConfig(kdc());
});

const ETYPES = [17, 18, 19, 20] as const;

describe.each(['password', 'keytab'] as const)('AS-REQ for alice with her %s', (source) => {
  it.each(ETYPES)('enctype %i: MIT issues the TGT, klist lists our ccache, kvno uses it', async (etype) => {
    const k = kdc();
    const credentials =
      source === 'password'
        ? { password: k.passwords.alice! }
        : { keytab: await keytab(k.files.aliceKeytab) };
    const exchanges: KdcExchange[] = [];
    const mark = await kdcLogMark(k);
    const tgt = await getInitialCredentials({
      client: 'alice',
      config,
      credentials,
      options: { etypes: [etype] },
      onExchange: (e) => exchanges.push(e),
    });
    const as = exchanges[0] as AsExchange;

    // What MIT said on the way.
    if (source === 'password') {
      // MIT kinit's flow: no preauth, PREAUTH_REQUIRED with ETYPE-INFO2 + cookie, then PA-ENC-TIMESTAMP.
      expect(as.kdcErrors.map((e) => e.name)).toEqual(['KDC_ERR_PREAUTH_REQUIRED']);
      const required = as.kdcErrors[0]!;
      expect(required.eText).toBe('NEEDED_PREAUTH');
      const types = required.padata.map((p) => p.padataType);
      expect(types).toEqual(
        expect.arrayContaining([
          PaDataType.PA_ETYPE_INFO2,
          PaDataType.PA_ENC_TIMESTAMP,
          PaDataType.PA_FX_COOKIE,
        ]),
      );
      const info = decode(
        EtypeInfo2,
        required.padata.find((p) => p.padataType === PaDataType.PA_ETYPE_INFO2)!.padataValue,
      );
      expect(info).toEqual([expect.objectContaining({ etype, salt: 'MIT.TESTalice' })]);
      expect(as.messages).toHaveLength(4);
    } else {
      // The keytab key needs no salt: the first AS-REQ is pre-authenticated and accepted.
      expect(as.kdcErrors).toEqual([]);
      expect(as.messages).toHaveLength(2);
    }
    const log = await kdcLogSince(k, mark);
    const issue = log.filter((l) => l.includes('AS_REQ') && l.includes('ISSUE'));
    expect(issue).toHaveLength(1);
    expect(issue[0]).toContain(`1 etypes {`);
    expect(issue[0]).toContain('alice@MIT.TEST for krbtgt/MIT.TEST@MIT.TEST');
    expect(issue[0]).toMatch(new RegExp(`ses=[^,]*\\(${etype}\\)`));

    expect(tgt.client).toMatchObject({ realm: 'MIT.TEST', name: { nameString: ['alice'] } });
    expect(tgt.server).toMatchObject({ realm: 'MIT.TEST', name: { nameString: ['krbtgt', 'MIT.TEST'] } });
    expect(tgt.sessionKey.enctype).toBe(etype);
    expect(tgt.ticketEnctype).toBe(18); // krbtgt's first key
    expect(tgt.encPartTag).toBe(26); // MIT tags the AS-REP enc-part EncTGSRepPart
    // forwardable from the profile, renewable from renewable-ok; MIT 1.20 also sets
    // enc-pa-rep (RFC 6806 §11) in the reply's flags, with no encrypted-pa-data.
    expect(credentialFlags(tgt)).toEqual(['forwardable', 'renewable', 'initial', 'preAuthent', 'encPaRep']);

    const file = join(k.dir, `alice-${source}-${etype}.ccache`);
    await saveCredentials(`FILE:${file}`, [tgt]);
    const env = { TZ: 'UTC', KRB5CCNAME: `FILE:${file}` };
    const listed = await k.run('klist', ['-e', '-f'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toEqual([
      `Ticket cache: FILE:${file}`,
      'Default principal: alice@MIT.TEST',
      '',
      'Valid starting     Expires            Service principal',
      `${klistTime(tgt.authtime)}  ${klistTime(tgt.endtime)}  krbtgt/MIT.TEST@MIT.TEST`,
      `\trenew until ${klistTime(tgt.renewTill!)}, Flags: FRIA`,
      `\tEtype (skey, tkt): ${MIT_ETYPE_NAMES[etype]}, aes256-cts-hmac-sha1-96 `,
      '',
    ]);

    // MIT's kvno does a TGS exchange with our TGT and stores the ticket in our cache.
    const got = await k.run('kvno', ['cifs/localhost'], { env });
    expect(got.stderr).toBe('');
    expect(got.stdout).toBe('cifs/localhost@MIT.TEST: kvno = 1\n');
    const after = await k.run('klist', ['-e'], { env });
    expect(after.stdout).toContain('cifs/localhost@MIT.TEST');
  });
});
