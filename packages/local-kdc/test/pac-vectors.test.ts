/** Published PACs (MIT krb5 t_pac.c, from Samba and Windows): parse, verify, re-encode. */
import { readFileSync } from 'node:fs';
import {
  decrypt,
  disableRc4Hmac,
  enableRc4Hmac,
  isRc4HmacEnabled,
  type Key,
  KeyUsage,
} from '@postntlm/krb5-crypto';
import { decode, EncTicketPart, encode, Ticket } from '@postntlm/krb5-messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeLogonInfo,
  decodeUpnDnsInfo,
  encodeLogonInfo,
  encodePacBuffers,
  encodeUpnDnsInfo,
  findPac,
  formatSid,
  PacBufferType,
  PacError,
  parsePac,
  verifyPac,
  verifyTicketPac,
} from '../src/pac/index.js';

interface VKey {
  enctype: number;
  key: string;
}
interface Vectors {
  samba_saved_pac: {
    pac: string;
    authtime: number;
    clientName: string;
    logonInfoLength: number;
    serverKey: VKey;
    kdcKey: VKey;
  };
  s4u: { name: string; pac: string; authtime: number; clientName: string; serverKey: VKey }[];
  fuzz: string[];
  w2022_ticket: { ticket: string; serverKey: VKey; krbtgtKey: VKey };
}
const V = JSON.parse(
  readFileSync(new URL('./vectors/pac/mit-t_pac.json', import.meta.url), 'utf8'),
) as Vectors;
const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const key = (k: VKey): Key => ({ enctype: k.enctype, bytes: hex(k.key) });

describe('Samba saved PAC (RC4 keys)', () => {
  let wasEnabled = false;
  beforeAll(() => {
    wasEnabled = isRc4HmacEnabled();
    enableRc4Hmac();
  });
  afterAll(() => {
    if (!wasEnabled) disableRc4Hmac();
  });
  const v = V.samba_saved_pac;
  const bytes = hex(v.pac);
  it('parses, verifies and re-encodes byte-exactly', () => {
    const pac = parsePac(bytes);
    expect(pac.buffers.map((b) => b.type)).toEqual([1, 10, 6, 7]);
    expect(pac.buffers[0]?.data.length).toBe(v.logonInfoLength);
    const info = pac.logonInfo;
    expect(info?.effectiveName).toBe('w2003final$'.toUpperCase());
    expect(info?.userId).toBe(0x3ed);
    expect(info?.primaryGroupId).toBe(0x204);
    expect(info?.logonDomainName).toEqual({ value: 'WIN2K3THINK', maximumLength: 24 });
    expect(formatSid(info?.logonDomainId ?? { revision: 0, authority: 0, subAuthorities: [] })).toBe(
      'S-1-5-21-3048156945-3961193616-3706469200',
    );
    expect(info?.extraSids?.map((e) => e.sid && formatSid(e.sid))).toEqual(['S-1-5-9']);
    expect(pac.serverSignature?.signatureType).toBe(-138);
    verifyPac(pac, {
      server: key(v.serverKey),
      kdc: key(v.kdcKey),
      client: { name: v.clientName, authtime: new Date(v.authtime * 1000) },
    });
    expect(encodeLogonInfo(decodeLogonInfo(pac.buffers[0]?.data ?? new Uint8Array()))).toEqual(
      pac.buffers[0]?.data,
    );
    expect(encodePacBuffers(pac.buffers).bytes).toEqual(bytes);
  });
  it('rejects a wrong key, a flipped byte and a wrong client', () => {
    const pac = parsePac(bytes);
    expect(() => verifyPac(pac, { server: key(v.kdcKey) })).toThrow(PacError);
    expect(() => verifyPac(pac, { kdc: key(v.serverKey) })).toThrow(PacError);
    expect(() =>
      verifyPac(pac, { client: { name: 'other', authtime: new Date(v.authtime * 1000) } }),
    ).toThrow(PacError);
    const bad = bytes.slice();
    bad[0x100] = (bad[0x100] ?? 0) ^ 1;
    expect(() => verifyPac(parsePac(bad), { server: key(v.serverKey) })).toThrow(/does not verify/);
  });
});

describe('Windows 2008 S4U2Self PACs (AES256 server key)', () => {
  for (const v of V.s4u) {
    it(v.name, () => {
      const bytes = hex(v.pac);
      const pac = parsePac(bytes);
      verifyPac(pac, {
        server: key(v.serverKey),
        client: { name: v.clientName, authtime: new Date(v.authtime * 1000) },
      });
      expect(pac.upnDnsInfo?.dnsDomainName).toBe('ACME.COM');
      expect(pac.upnDnsInfo?.upn).toBe('w2k8u@abc');
      for (const b of pac.buffers) {
        if (b.type === PacBufferType.LOGON_INFO)
          expect(encodeLogonInfo(decodeLogonInfo(b.data))).toEqual(b.data);
        if (b.type === PacBufferType.UPN_DNS_INFO)
          expect(encodeUpnDnsInfo(decodeUpnDnsInfo(b.data))).toEqual(b.data);
      }
      expect(encodePacBuffers(pac.buffers).bytes).toEqual(bytes);
    });
  }
});

describe('Windows Server 2022 ticket with ticket and full signatures', () => {
  const v = V.w2022_ticket;
  const ticket = decode(Ticket, hex(v.ticket));
  const encPart = decrypt(key(v.serverKey), KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher);
  it('verifies all four signatures and re-encodes byte-exactly', () => {
    const pac = verifyTicketPac(encPart, {
      server: key(v.serverKey),
      kdc: key(v.krbtgtKey),
      requireTicketSignatures: true,
      client: { name: 'administrator', authtime: decode(EncTicketPart, encPart).authtime },
    });
    expect(pac.buffers.map((b) => b.type)).toContain(PacBufferType.FULL_CHECKSUM);
    expect(pac.upnDnsInfo?.samName).toBe('Administrator');
    for (const b of pac.buffers) {
      if (b.type === PacBufferType.LOGON_INFO)
        expect(encodeLogonInfo(decodeLogonInfo(b.data))).toEqual(b.data);
      if (b.type === PacBufferType.UPN_DNS_INFO)
        expect(encodeUpnDnsInfo(decodeUpnDnsInfo(b.data))).toEqual(b.data);
    }
    const raw = findPac(decode(EncTicketPart, encPart).authorizationData) ?? new Uint8Array();
    expect(encodePacBuffers(pac.buffers).bytes).toEqual(raw);
  });
  it('fails the ticket signature when the ticket changes', () => {
    const part = decode(EncTicketPart, encPart);
    const pac = parsePac(findPac(part.authorizationData) ?? new Uint8Array());
    const other = { ...part, endtime: new Date(part.endtime.getTime() + 1000) };
    expect(() =>
      verifyPac(pac, { kdc: key(v.krbtgtKey), encTicketPart: encode(EncTicketPart, other) }),
    ).toThrow(/ticket signature does not verify/);
  });
});

describe('MIT fuzz regressions', () => {
  for (const h of V.fuzz) {
    it(h, () => expect(() => parsePac(hex(h))).toThrow(PacError));
  }
});
