/**
 * Seeds for the fuzz tests: every DER element found in the MIT reference encodings and the
 * real-peer captures (recursing into constructed elements and into OCTET STRINGs that hold
 * DER), plus a few hand-built values for structures no capture contains; each exported
 * schema gets the seeds it decodes.
 */
import { readdirSync } from 'node:fs';
import { decode, encode, readHeader, Schema } from '@postntlm/der-asn1';
import * as M from '../src/index.js';
import { hex, mitVectors, readHexVector, splitToken, toHex, utf8 } from './helpers.js';
import iakerbAsn1 from './vectors/mit-iakerb-asn1.json' with { type: 'json' };
import windows from './vectors/windows-29617-exchange.json' with { type: 'json' };

/** Every exported schema of the package, by export name. */
export const exportedSchemas: ReadonlyArray<readonly [string, Schema<unknown>]> = Object.entries(
  M as Record<string, unknown>,
).filter((entry): entry is [string, Schema<unknown>] => entry[1] instanceof Schema);

function walk(bytes: Uint8Array, out: Map<string, Uint8Array>, depth = 0): void {
  if (depth > 40 || bytes.length === 0) return;
  let pos = 0;
  while (pos < bytes.length) {
    let header: ReturnType<typeof readHeader>;
    try {
      header = readHeader(bytes, pos, bytes.length);
    } catch {
      return;
    }
    const element = bytes.subarray(header.start, header.end);
    out.set(toHex(element), element);
    const content = bytes.subarray(header.contentStart, header.end);
    // Constructed elements hold elements; OCTET STRINGs often hold DER too (padata, ad-data).
    if (header.constructed || header.id === 4) walk(content, out, depth + 1);
    pos = header.end;
  }
}

const CHECKSUM = { cksumtype: 16, checksum: new Uint8Array(12).fill(7) };
const ENC = { etype: 18, kvno: 2, cipher: new Uint8Array(40).fill(9) };
const PRINCIPAL = { nameType: 1, nameString: ['alice'] };
const handBuilt: Uint8Array[] = [
  encode(M.KrbFastReq, {
    fastOptions: 0x40000000,
    padata: [{ padataType: 2, padataValue: encode(M.EncryptedData, ENC) }],
    reqBody: { kdcOptions: 0x40810010, realm: 'MIT.TEST', till: new Date(0), nonce: 1, etype: [18, 17] },
  }),
  encode(M.PaFxFastRequest, {
    type: 'armoredData',
    value: { armor: { armorType: 1, armorValue: utf8('ap-req') }, reqChecksum: CHECKSUM, encFastReq: ENC },
  }),
  encode(M.S4uUserId, { nonce: 0xfedcba98, crealm: 'MIT.TEST', options: 0x40000000 }),
  encode(M.KerbErrorData, { dataType: 3, dataValue: hex('6d0000c00000000001000000') }),
  encode(M.PaPacOptions, { flags: 0xf0000000 }),
  encode(M.PaPacRequest, { includePac: false }),
  encode(M.AuthorizationData, [{ adType: 129, adData: encode(M.EtypeList, [18, 17, 20]) }]),
  encode(M.AdAndOr, { conditionCount: 1, elements: [{ adType: 1, adData: utf8('x') }] }),
  encode(M.KdcProxyMessage, {
    kerbMessage: new Uint8Array([0, 0, 0, 2, 0x30, 0]),
    targetDomain: 'MIT.TEST',
    dclocatorHint: 4,
  }),
  encode(M.EncSamResponseEnc2, { samNonce: 1 }),
  encode(M.PaOtpRequest, {
    flags: 0,
    encData: ENC,
    hashAlg: { algorithm: '1.3.14.3.2.26', parameters: hex('0500') },
  }),
  encode(M.AdCammac, {
    elements: [],
    kdcVerifier: { mac: CHECKSUM },
    svcVerifier: { identifier: PRINCIPAL, mac: CHECKSUM },
  }),
  encode(M.KrbError, {
    pvno: 5,
    msgType: 30,
    stime: new Date(0),
    susec: 0,
    errorCode: 25,
    realm: 'MIT.TEST',
    sname: { nameType: 2, nameString: ['krbtgt', 'MIT.TEST'] },
    eData: encode(M.TypedData, [{ dataType: 111 }]),
  }),
];

function collect(): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  for (const v of mitVectors) walk(v.der, found);
  for (const v of iakerbAsn1.vectors) walk(hex(v.der_hex), found);
  const tokens = new URL('./vectors/mit-iakerb-tokens/', import.meta.url);
  for (const file of readdirSync(tokens).filter((f) => f.endsWith('.hex'))) {
    const token = splitToken(readHexVector(`mit-iakerb-tokens/${file}`));
    walk(token.body, found);
  }
  for (const t of windows.tokens) walk(hex(t.kerberos_message_hex), found);
  const keys = windows.derived_keys_computed_by_collector;
  for (const plain of [
    keys.as_rep_enc_part_plaintext_hex,
    keys.tgs_rep_enc_part_plaintext_hex,
    keys.ap_rep_enc_part_plaintext_hex,
  ]) {
    walk(hex(plain), found);
  }
  for (const bytes of handBuilt) walk(bytes, found);
  return found;
}

/** Seeds per exported schema name: the collected elements that schema decodes. */
export function seedsBySchema(limitPerSchema = 24): Map<string, Uint8Array[]> {
  const candidates = [...collect().values()];
  const out = new Map<string, Uint8Array[]>();
  for (const [name, schema] of exportedSchemas) {
    const seeds: Uint8Array[] = [];
    for (const bytes of candidates) {
      try {
        decode(schema, bytes);
        seeds.push(bytes);
      } catch {
        // not this type
      }
    }
    // Largest first: they carry the most structure to mutate.
    seeds.sort((a, b) => b.length - a.length);
    out.set(name, seeds.slice(0, limitPerSchema));
  }
  return out;
}
