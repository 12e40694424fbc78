// Decode/encode benchmark: @postntlm/der-asn1 against asn1js on an AS-REP-shaped message.
// Run with `pnpm -F @postntlm/der-asn1 build && pnpm -F @postntlm/der-asn1 bench`
// (node --expose-gc bench/run.mjs). Not a test: it prints a table and exits 0.
import * as asn1js from 'asn1js';
import {
  application,
  decode,
  encode,
  explicit,
  generalString,
  int32,
  octetString,
  optional,
  sequence,
  sequenceOf,
  uint32,
} from '../dist/index.js';

// --- RFC 4120 §5.4.2 AS-REP, declared with our combinators --------------------------------

const PrincipalName = sequence(
  { nameType: explicit(0, int32()), nameString: explicit(1, sequenceOf(generalString())) },
  { name: 'PrincipalName' },
);
const EncryptedData = sequence(
  { etype: explicit(0, int32()), kvno: optional(explicit(1, uint32())), cipher: explicit(2, octetString()) },
  { name: 'EncryptedData' },
);
const PaData = sequence(
  { padataType: explicit(1, int32()), padataValue: explicit(2, octetString()) },
  { name: 'PA-DATA' },
);
const Ticket = application(
  1,
  sequence({
    tktVno: explicit(0, int32()),
    realm: explicit(1, generalString()),
    sname: explicit(2, PrincipalName),
    encPart: explicit(3, EncryptedData),
  }),
  'Ticket',
);
const AsRep = application(
  11,
  sequence({
    pvno: explicit(0, int32()),
    msgType: explicit(1, int32()),
    padata: optional(explicit(2, sequenceOf(PaData))),
    crealm: explicit(3, generalString()),
    cname: explicit(4, PrincipalName),
    ticket: explicit(5, Ticket),
    encPart: explicit(6, EncryptedData),
  }),
  'AS-REP',
);

const filled = (length, seed) => {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
};

const value = {
  pvno: 5,
  msgType: 11,
  padata: [
    { padataType: 19, padataValue: filled(24, 1) }, // PA-ETYPE-INFO2
    { padataType: 136, padataValue: filled(40, 2) }, // PA-FX-COOKIE-like
  ],
  crealm: 'EXAMPLE.COM',
  cname: { nameType: 1, nameString: ['alice'] },
  ticket: {
    tktVno: 5,
    realm: 'EXAMPLE.COM',
    sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.COM'] },
    encPart: { etype: 18, kvno: 0x7a3b1c2d, cipher: filled(900, 3) },
  },
  encPart: { etype: 18, kvno: 0x00c0ffee, cipher: filled(250, 4) },
};

// --- the same structure in asn1js ------------------------------------------------------------

const ctx = (tagNumber, inner) =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value: [inner] });
const app = (tagNumber, inner) =>
  new asn1js.Constructed({ idBlock: { tagClass: 2, tagNumber }, value: [inner] });
const int = (n) =>
  Math.abs(n) < 2 ** 31 ? new asn1js.Integer({ value: n }) : asn1js.Integer.fromBigInt(BigInt(n));
const uint = (n) => asn1js.Integer.fromBigInt(BigInt(n));
const gstr = (s) => new asn1js.GeneralString({ value: s });
const octets = (bytes) => new asn1js.OctetString({ valueHex: bytes });

function asn1Principal(p) {
  return new asn1js.Sequence({
    value: [ctx(0, int(p.nameType)), ctx(1, new asn1js.Sequence({ value: p.nameString.map(gstr) }))],
  });
}
function asn1EncryptedData(e) {
  const fields = [ctx(0, int(e.etype))];
  if (e.kvno !== undefined) fields.push(ctx(1, uint(e.kvno)));
  fields.push(ctx(2, octets(e.cipher)));
  return new asn1js.Sequence({ value: fields });
}
function asn1AsRep(v) {
  const t = v.ticket;
  const ticket = app(
    1,
    new asn1js.Sequence({
      value: [
        ctx(0, int(t.tktVno)),
        ctx(1, gstr(t.realm)),
        ctx(2, asn1Principal(t.sname)),
        ctx(3, asn1EncryptedData(t.encPart)),
      ],
    }),
  );
  const fields = [ctx(0, int(v.pvno)), ctx(1, int(v.msgType))];
  if (v.padata !== undefined) {
    const list = v.padata.map(
      (p) => new asn1js.Sequence({ value: [ctx(1, int(p.padataType)), ctx(2, octets(p.padataValue))] }),
    );
    fields.push(ctx(2, new asn1js.Sequence({ value: list })));
  }
  fields.push(
    ctx(3, gstr(v.crealm)),
    ctx(4, asn1Principal(v.cname)),
    ctx(5, ticket),
    ctx(6, asn1EncryptedData(v.encPart)),
  );
  return app(11, new asn1js.Sequence({ value: fields }));
}

// Walking an asn1js tree to the same fields our decoder returns. INTEGERs go through
// toBigInt(): asn1js's valueDec is 0 for values needing four or more octets (>= 2^23).
const inner = (block) => block.valueBlock.value[0];
const children = (block) => block.valueBlock.value;
const readInt = (block) => Number(block.toBigInt());
const readStr = (block) => new TextDecoder().decode(block.valueBlock.valueHexView);
const readOctets = (block) => block.valueBlock.valueHexView;

function walkPrincipal(seq) {
  const [t, s] = children(seq);
  return { nameType: readInt(inner(t)), nameString: children(inner(s)).map(readStr) };
}
function walkEncryptedData(seq) {
  const out = {};
  for (const field of children(seq)) {
    const n = field.idBlock.tagNumber;
    if (n === 0) out.etype = readInt(inner(field));
    else if (n === 1) out.kvno = readInt(inner(field));
    else if (n === 2) out.cipher = readOctets(inner(field));
  }
  return out;
}
function asn1jsDecode(bytes) {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) throw new Error(parsed.result.error);
  const out = {};
  for (const field of children(inner(parsed.result))) {
    const n = field.idBlock.tagNumber;
    const v = inner(field);
    if (n === 0) out.pvno = readInt(v);
    else if (n === 1) out.msgType = readInt(v);
    else if (n === 2)
      out.padata = children(v).map((pa) => {
        const [t, val] = children(pa);
        return { padataType: readInt(inner(t)), padataValue: readOctets(inner(val)) };
      });
    else if (n === 3) out.crealm = readStr(v);
    else if (n === 4) out.cname = walkPrincipal(v);
    else if (n === 5) {
      const [tv, realm, sname, encPart] = children(inner(v));
      out.ticket = {
        tktVno: readInt(inner(tv)),
        realm: readStr(inner(realm)),
        sname: walkPrincipal(inner(sname)),
        encPart: walkEncryptedData(inner(encPart)),
      };
    } else if (n === 6) out.encPart = walkEncryptedData(v);
  }
  return out;
}

// --- sanity: both sides produce and read the same thing ------------------------------------

const der = encode(AsRep, value);
const theirs = new Uint8Array(asn1AsRep(value).toBER());
const hex = (b) => Buffer.from(b).toString('hex');
if (hex(der) !== hex(theirs)) throw new Error('asn1js and der-asn1 encodings differ');
const same = (a, b) =>
  JSON.stringify(a, (_k, v) => (v instanceof Uint8Array ? hex(v) : v)) ===
  JSON.stringify(b, (_k, v) => (v instanceof Uint8Array ? hex(v) : v));
if (!same(decode(AsRep, der), value)) throw new Error('der-asn1 decode mismatch');
if (!same(asn1jsDecode(der), value)) throw new Error('asn1js decode mismatch');

// --- timing ---------------------------------------------------------------------------------
// The CPU is shared and its load drifts, so each comparison runs its two sides in alternating
// rounds (ours, theirs, ours, theirs…) and reports medians of the per-round figures.

let sink = 0;
const gc = globalThis.gc ?? (() => {});
const ROUNDS = 11;
const ROUND_MS = 120;

/** Warms `fn` up and returns an iteration count that takes about `ROUND_MS`. */
function calibrate(fn) {
  let iterations = 16;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink ^= fn() === undefined ? 0 : 1;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms > ROUND_MS / 2) return Math.ceil((iterations * ROUND_MS) / ms);
    iterations *= 2;
  }
}

function round(fn, iterations) {
  gc();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink ^= fn() === undefined ? 0 : 1;
  return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median µs/op of each side and median of the per-round ratios (theirs ÷ ours). */
function compare(ours, theirs) {
  const n = [calibrate(ours), calibrate(theirs)];
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(round(ours, n[0]));
    b.push(round(theirs, n[1]));
  }
  return { ours: median(a), theirs: median(b), ratio: median(a.map((x, i) => b[i] / x)) };
}

const started = performance.now();
const rows = [
  [
    'decode (asn1js: fromBER + walk)',
    compare(
      () => decode(AsRep, der),
      () => asn1jsDecode(der),
    ),
  ],
  [
    'encode (asn1js: build tree + toBER)',
    compare(
      () => encode(AsRep, value),
      () => asn1AsRep(value).toBER(),
    ),
  ],
  // For reference: asn1js's parse alone, with its defaults and with its cheapest options
  // (parseEmbedded: false stops it trying to parse every OCTET STRING's content as BER).
  [
    '  vs asn1js fromBER alone',
    compare(
      () => decode(AsRep, der),
      () => asn1js.fromBER(der),
    ),
  ],
  [
    '  vs asn1js fromBER, parseEmbedded off',
    compare(
      () => decode(AsRep, der),
      () => asn1js.fromBER(der, { parseEmbedded: false, copyInput: false }),
    ),
  ],
];

const fmt = (n) => n.toFixed(2).padStart(12);
console.log(`AS-REP: ${der.length} bytes of DER (ticket cipher 900 B, enc-part cipher 250 B, 2 PA-DATA)`);
console.log(`node ${process.version}; ${ROUNDS} alternating rounds, medians, µs per operation`);
console.log('');
console.log(
  `${'operation'.padEnd(40)}${'der-asn1'.padStart(12)}${'asn1js'.padStart(12)}${'asn1js÷ours'.padStart(14)}`,
);
for (const [name, r] of rows) {
  console.log(`${name.padEnd(40)}${fmt(r.ours)}${fmt(r.theirs)}${`${r.ratio.toFixed(1)}×`.padStart(14)}`);
}
console.log('');
const met = rows[0][1].ratio >= 100;
console.log(`decode target (>= 100× faster than asn1js): ${met ? 'met' : 'NOT met'}`);
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s; checksum ${sink & 1})`);
