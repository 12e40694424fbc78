/** Our PACs: build, sign, parse, verify; SIDs; parsePac on random and mutated input. */
import type { Key } from '@postntlm/krb5-crypto';
import { type AuthorizationData, EncTicketPart, encode } from '@postntlm/krb5-messages';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPacAuthorizationData,
  decodeLogonInfo,
  encodeLogonInfo,
  encodePacBuffers,
  findPac,
  formatSid,
  generateDomainSid,
  PacBufferType,
  PacError,
  type PacInput,
  pacBuffers,
  parsePac,
  parseSid,
  validationInfo,
  verifyPac,
  verifyTicketPac,
} from '../src/pac/index.js';

const aes = (enctype: number, fill: number): Key => ({
  enctype,
  bytes: new Uint8Array(enctype === 17 || enctype === 19 ? 16 : 32).fill(fill),
});
const input: PacInput = {
  samAccountName: 'alice',
  userPrincipalName: 'alice@example.com',
  dnsDomainName: 'EXAMPLE.COM',
  netbiosDomainName: 'EXAMPLE',
  domainSid: 'S-1-5-21-1-2-3',
  userRid: 1104,
  groupRids: [512, 1105],
  authTime: new Date('2025-01-02T03:04:05Z'),
};

function ticketPart(authorizationData: AuthorizationData): Uint8Array {
  return encode(EncTicketPart, {
    flags: 0x40e10000,
    key: { keytype: 18, keyvalue: new Uint8Array(32) },
    crealm: 'EXAMPLE.COM',
    cname: { nameType: 1, nameString: ['alice'] },
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: input.authTime,
    endtime: new Date('2025-01-02T13:04:05Z'),
    authorizationData,
  });
}

describe('SIDs', () => {
  it('parses and formats', () => {
    expect(formatSid(parseSid('S-1-5-21-1-2-3-500'))).toBe('S-1-5-21-1-2-3-500');
    expect(formatSid(parseSid('S-1-0x123456789ABC-1'))).toBe('S-1-0x123456789ABC-1');
    for (const bad of ['S-1', 'S-1-5-4294967296', 'X-1-5', `S-1-5${'-1'.repeat(16)}`, 'S-256-5']) {
      expect(() => parseSid(bad)).toThrow(PacError);
    }
    const sid = generateDomainSid((n) => new Uint8Array(n).fill(0xff));
    expect(formatSid(sid)).toBe('S-1-5-21-4294967295-4294967295-4294967295');
  });
});

describe('build, sign, parse, verify', () => {
  for (const enctype of [17, 18, 19, 20]) {
    it(`service ticket PAC with enctype ${enctype} keys`, () => {
      const keys = { server: aes(enctype, 1), kdc: aes(enctype, 2) };
      const other: AuthorizationData = [{ adType: 1, adData: encode_ifrel() }];
      const el = buildPacAuthorizationData(input, keys, {
        encodeEncTicketPart: ticketPart,
        otherAuthorizationData: other,
      });
      const encTicketPart = ticketPart([el, ...other]);
      const pac = verifyTicketPac(encTicketPart, {
        server: keys.server,
        kdc: keys.kdc,
        requireTicketSignatures: true,
        client: { name: 'alice', authtime: input.authTime },
      });
      expect(pac.buffers.map((b) => b.type)).toEqual([1, 10, 12, 17, 18, 6, 7, 16, 19]);
      expect(pac.logonInfo).toEqual(validationInfo(input));
      expect(pac.upnDnsInfo?.samName).toBe('alice');
      expect(pac.upnDnsInfo?.sid && formatSid(pac.upnDnsInfo.sid)).toBe('S-1-5-21-1-2-3-1104');
      expect(pac.requestor && formatSid(pac.requestor)).toBe('S-1-5-21-1-2-3-1104');
      expect(pac.attributesInfo).toEqual({ flagsLength: 2, flags: 1 });
      expect(encodePacBuffers(pac.buffers).bytes).toEqual(pac.bytes);
      // The ticket signature covers the rest of the ticket.
      expect(() => verifyPac(pac, { kdc: keys.kdc, encTicketPart: ticketPart([el]) })).toThrow(
        /ticket signature/,
      );
      expect(() => verifyPac(pac, { server: keys.kdc })).toThrow(PacError);
    });
  }
  it('TGT PAC: no ticket or full signature', () => {
    const keys = { server: aes(18, 2), kdc: aes(18, 2) };
    const el = buildPacAuthorizationData(input, keys);
    const pac = parsePac(findPac([el]) ?? new Uint8Array());
    expect(pac.buffers.map((b) => b.type)).toEqual([1, 10, 12, 17, 18, 6, 7]);
    verifyPac(pac, { server: keys.server, kdc: keys.kdc });
    expect(() => verifyPac(pac, { kdc: keys.kdc, requireTicketSignatures: true })).toThrow(PacError);
  });
  it('KERB_VALIDATION_INFO round-trips with extra SIDs, resource groups and null strings', () => {
    const v = {
      ...validationInfo({ ...input, extraSids: [{ sid: parseSid('S-1-18-1'), attributes: 7 }] }),
      fullName: null,
      logonScript: { value: 'x', maximumLength: 8 },
      resourceGroupDomainSid: parseSid('S-1-5-21-9-9-9'),
      resourceGroupIds: [{ relativeId: 7, attributes: 0x20000007 }],
      groupIds: [],
    };
    expect(decodeLogonInfo(encodeLogonInfo(v))).toEqual(v);
  });
});

function encode_ifrel(): Uint8Array {
  return Uint8Array.of(0x30, 0x00);
}

describe('parsePac on hostile input throws only PacError', () => {
  const keys = { server: aes(18, 1), kdc: aes(18, 2) };
  const good =
    findPac([buildPacAuthorizationData(input, keys, { encodeEncTicketPart: ticketPart })]) ??
    new Uint8Array();
  const logon = pacBuffers(input)[0]?.data ?? new Uint8Array();
  const onlyPacError = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof PacError)) throw e;
    }
  };
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => onlyPacError(() => parsePac(b))),
      { numRuns: 3000 },
    );
  });
  it('mutated PACs and logon infos', () => {
    const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(mutation, fc.nat(), (muts, cut) => {
        for (const base of [good, logon]) {
          const b = base.slice(0, base.length - (cut % 16));
          for (const [at, v] of muts) b[at % b.length] = v;
          onlyPacError(() => parsePac(b));
          onlyPacError(() => decodeLogonInfo(b));
          onlyPacError(() =>
            verifyPac(parsePac(good), { server: keys.server, kdc: keys.kdc, encTicketPart: b }),
          );
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('a huge conformant count is refused without allocating', () => {
    const b = logon.slice();
    const view = new DataView(b.buffer);
    // GroupCount (flat part, offset 16 + 4 + 48 + 48 + 4 + 8) and the GroupIds max count.
    view.setUint32(16 + 4 + 48 + 48 + 4 + 8, 0xffffffff, true);
    expect(() => decodeLogonInfo(b)).toThrow(PacError);
    expect(PacBufferType.FULL_CHECKSUM).toBe(19);
  });
});
