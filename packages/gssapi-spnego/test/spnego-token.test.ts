/** RFC 4178 / MS-SPNG negotiation tokens: published samples, round trips, strictness, fuzz. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Oid } from '@postntlm/der-asn1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeKrb5ContextToken,
  decodeSpnegoToken,
  encodeMechTypeList,
  encodeSpnegoToken,
  GssError,
  GssTokenError,
  NegState,
  TokenId,
} from '../src/index.js';
import { hex, toHex } from './helpers.js';

const dir = fileURLToPath(new URL('./vectors/', import.meta.url));
const samples = (
  JSON.parse(readFileSync(`${dir}spnego-samples.json`, 'utf8')) as {
    vectors: { name: string; token_hex: string }[];
  }
).vectors;
const sample = (prefix: string) => hex(samples.find((v) => v.name.startsWith(prefix))!.token_hex);

describe('published SPNEGO tokens', () => {
  it('every sample decodes and re-encodes byte-exactly, except the two that are not DER', () => {
    let checked = 0;
    for (const v of samples) {
      const bytes = hex(v.token_hex);
      if (v.name.includes('non-minimal BER') || v.name.includes('Windows Server 2008 R2')) {
        expect(() => decodeSpnegoToken(bytes)).toThrow(GssTokenError);
        continue;
      }
      expect(toHex(encodeSpnegoToken(decodeSpnegoToken(bytes))), v.name).toBe(v.token_hex);
      checked++;
    }
    expect(checked).toBe(samples.length - 2);
  });

  it('Windows NegTokenInit2 (smbj): framed, mechTypes NEGOEX + NTLMSSP', () => {
    const t = decodeSpnegoToken(sample('NegTokenInit2 from a Windows SMB2 NEGOTIATE'));
    expect(t).toMatchObject({ kind: 'init', framed: true, mechTypes: [Oid.negoex, Oid.ntlmssp] });
  });

  it('gokrb5 NegTokenInit (bare): the mechToken is a krb5 AP-REQ; mechTypesDer is the MechTypeList DER', () => {
    const t = decodeSpnegoToken(sample('NegTokenInit (no APPLICATION 0 wrapper) with Kerberos'));
    if (t.kind !== 'init') throw new Error('expected init');
    expect(t.framed).toBe(false);
    expect(t.mechTypes).toEqual([Oid.krb5, '1.3.5.1.5.2', Oid.msKrb5, Oid.iakerb]);
    expect(t.mechTypesDer).toEqual(encodeMechTypeList(t.mechTypes));
    expect(decodeKrb5ContextToken(t.mechToken!).tokenId).toBe(TokenId.AP_REQ);
  });

  it('NegTokenResp accept-completed + supportedMech krb5 (gokrb5)', () => {
    expect(decodeSpnegoToken(sample('NegTokenResp accept-completed + supportedMech Kerberos'))).toEqual({
      kind: 'resp',
      framed: false,
      negState: NegState.acceptCompleted,
      supportedMech: Oid.krb5,
      responseToken: undefined,
      mechListMIC: undefined,
    });
  });

  it('the smbj NTLM challenge file has one trailing byte: refused', () => {
    expect(() =>
      decodeSpnegoToken(sample('NegTokenResp accept-incomplete with NTLMSSP CHALLENGE (Windows')),
    ).toThrow(/trailing|DER|length/);
  });
});

describe('NegTokenInit2 and mechListMIC placement', () => {
  it('negHints go to [3] and mechListMIC to [4]; plain NegTokenInit keeps mechListMIC at [3]', () => {
    const init2 = {
      kind: 'init',
      framed: true,
      mechTypes: [Oid.msKrb5, Oid.krb5],
      negHints: { hintName: 'not_defined_in_RFC4178@please_ignore' },
      mechListMIC: hex('0102'),
    } as const;
    const back = decodeSpnegoToken(encodeSpnegoToken(init2));
    expect(back).toMatchObject({ ...init2, negHints: { hintName: 'not_defined_in_RFC4178@please_ignore' } });
    const init = { kind: 'init', framed: false, mechTypes: [Oid.krb5], mechListMIC: hex('0304') } as const;
    const bytes = encodeSpnegoToken(init);
    expect(toHex(bytes)).toContain('a30404020304');
    expect(decodeSpnegoToken(bytes)).toMatchObject(init);
  });

  it('refuses a framed NegTokenResp, a foreign OID and empty input', () => {
    expect(() => decodeSpnegoToken(hex('600d06062b0601050502a1033001'))).toThrow(GssTokenError);
    expect(() => decodeSpnegoToken(hex('600806062a864886f712'))).toThrow(GssTokenError);
    expect(() => decodeSpnegoToken(new Uint8Array(0))).toThrow(GssTokenError);
  });
});

describe('fuzz: SPNEGO tokens (10 000 cases each)', () => {
  const seeds = samples.map((v) => hex(v.token_hex));
  it('random and mutated tokens: a value that re-encodes stably, or GssTokenError', () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 4 }),
      )
      .map(([seed, ops]) => {
        const b = Array.from(seed);
        for (const [pos, v, del] of ops) {
          if (b.length === 0) break;
          if (del) b.splice(pos % b.length, 1);
          else b[pos % b.length] = v;
        }
        return Uint8Array.from(b);
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (b) => {
        try {
          // Unknown trailing elements of the extensible SEQUENCEs are skipped, so the
          // property is: the value re-encodes to bytes that decode to the same value.
          const t = decodeSpnegoToken(b);
          const again = encodeSpnegoToken(t);
          expect(decodeSpnegoToken(again)).toEqual(t);
          expect(encodeSpnegoToken(decodeSpnegoToken(again))).toEqual(again);
        } catch (error) {
          if (!(error instanceof GssError)) throw error;
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
