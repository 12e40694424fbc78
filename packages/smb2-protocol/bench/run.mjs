// Benchmark of the SMB2 crypto layer (src/crypto): signing and verification (HMAC-SHA256,
// AES-CMAC, AES-GMAC) and encryption / decryption (AES-128-CCM, AES-128-GCM) of 64 KiB and
// 1 MiB messages, in MB/s, each next to the same work done with raw node:crypto on the same
// buffers (createCipheriv / createHmac, one call chain, no SMB framing), with the ratio
// ours / raw. Medians over several timed rounds after a warm-up; within a round, ours and
// raw alternate so load from elsewhere on the machine hits both alike. Not a test.
//
//   pnpm -F @postntlm/smb2-protocol bench            (node --expose-gc bench/run.mjs)
//
// Options: --quick (fewer, shorter rounds), --noble (also time the noble backend, 64 KiB).
//
// The code under test comes from ../dist/index.js when that build exports the crypto API,
// else src/crypto/index.ts is bundled on the fly with the esbuild that tsup brings
// (into node_modules/.cache/, dependencies left external).
import * as nodeCrypto from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const QUICK = process.argv.includes('--quick');
const NOBLE = process.argv.includes('--noble');
const ROUNDS = QUICK ? 3 : 7;
const ROUND_MS = QUICK ? 60 : 200;
const WARMUP_MS = QUICK ? 50 : 200;
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

async function loadCrypto() {
  const dist = new URL('../dist/index.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) {
    const mod = await import(dist.href);
    if (typeof mod.encryptMessage === 'function' && typeof mod.computeSignature === 'function') {
      return { mod, from: 'dist/index.js' };
    }
  }
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('tsup'))('esbuild');
  const outDir = fileURLToPath(new URL('../node_modules/.cache/smb2-crypto-bench/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const outfile = `${outDir}crypto.mjs`;
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../src/crypto/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    outfile,
    external: ['@postntlm/*'],
    logLevel: 'warning',
  });
  return {
    mod: await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`),
    from: 'src/crypto (bundled now)',
  };
}

const { mod: smb, from } = await loadCrypto();
const { setBackend } = await import('@postntlm/krb5-crypto/primitives');
const { CipherId, SigningAlgorithmId } = smb;

/** Calls per second of `fn` over about `ms` milliseconds. */
function rate(fn, ms) {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    fn();
    n++;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median MB/s of ours and raw, alternating within each round. */
function compare(bytes, ours, raw) {
  rate(ours, WARMUP_MS);
  if (raw) rate(raw, WARMUP_MS);
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    gc();
    a.push((rate(ours, ROUND_MS) * bytes) / 1e6);
    if (raw) {
      gc();
      b.push((rate(raw, ROUND_MS) * bytes) / 1e6);
    }
  }
  return { ours: median(a), raw: raw ? median(b) : undefined };
}

// --- inputs ----------------------------------------------------------------------------

function message(size) {
  const m = nodeCrypto.randomBytes(size);
  const u = new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  u.set([0xfe, 0x53, 0x4d, 0x42, 64, 0], 0);
  u[12] = 0x09; // WRITE
  u.fill(0, 48, 64);
  return u;
}

const key16 = new Uint8Array(nodeCrypto.randomBytes(16));
const aad32 = new Uint8Array(nodeCrypto.randomBytes(32));
const nonce12 = new Uint8Array(nodeCrypto.randomBytes(12));
const nonce11 = nonce12.subarray(0, 11);

// Raw node:crypto equivalents, on the same buffers.
const raw = {
  gcmSeal: (m) => {
    const c = nodeCrypto.createCipheriv('aes-128-gcm', key16, nonce12, { authTagLength: 16 });
    c.setAAD(aad32);
    const ct = c.update(m);
    c.final();
    return [ct, c.getAuthTag()];
  },
  gcmOpen: (ct, tag) => {
    const d = nodeCrypto.createDecipheriv('aes-128-gcm', key16, nonce12, { authTagLength: 16 });
    d.setAuthTag(tag);
    d.setAAD(aad32);
    const pt = d.update(ct);
    d.final();
    return pt;
  },
  ccmSeal: (m) => {
    const c = nodeCrypto.createCipheriv('aes-128-ccm', key16, nonce11, { authTagLength: 16 });
    c.setAAD(aad32, { plaintextLength: m.length });
    const ct = c.update(m);
    c.final();
    return [ct, c.getAuthTag()];
  },
  ccmOpen: (ct, tag) => {
    const d = nodeCrypto.createDecipheriv('aes-128-ccm', key16, nonce11, { authTagLength: 16 });
    d.setAuthTag(tag);
    d.setAAD(aad32, { plaintextLength: ct.length });
    const pt = d.update(ct);
    d.final();
    return pt;
  },
  gmac: (m) => {
    const c = nodeCrypto.createCipheriv('aes-128-gcm', key16, nonce12, { authTagLength: 16 });
    c.setAAD(m);
    c.final();
    return c.getAuthTag();
  },
  hmac: (m) => nodeCrypto.createHmac('sha256', key16).update(m).digest(),
  // No CMAC in node:crypto: its core, AES-128-CBC over the message, is the reference.
  cbc: (m) => {
    const c = nodeCrypto.createCipheriv('aes-128-cbc', key16, new Uint8Array(16));
    c.setAutoPadding(false);
    return c.update(m.subarray(0, m.length - (m.length % 16)));
  },
};

// --- run -------------------------------------------------------------------------------

const rows = [];
function row(backend, op, size, bytes, ours, rawFn, rawName) {
  const r = compare(bytes, ours, rawFn);
  rows.push({
    backend,
    op,
    size: size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`,
    ours: r.ours.toFixed(0),
    raw: r.raw === undefined ? '' : r.raw.toFixed(0),
    ratio: r.raw === undefined ? '' : (r.ours / r.raw).toFixed(2),
    reference: rawName ?? '',
  });
}

const sizes = [64 * 1024, 1024 * 1024];
const backends = NOBLE ? ['node', 'noble'] : ['node'];
for (const backend of backends) {
  setBackend(backend);
  for (const size of sizes) {
    if (backend === 'noble' && size > 64 * 1024) continue;
    const m = message(size);
    const parts = [m.subarray(0, 64), m.subarray(64)];
    for (const [name, alg, rawFn, rawName] of [
      ['sign HMAC-SHA256', SigningAlgorithmId.HMAC_SHA256, raw.hmac, 'createHmac sha256'],
      ['sign AES-CMAC', SigningAlgorithmId.AES_CMAC, raw.cbc, 'aes-128-cbc (CMAC core)'],
      ['sign AES-GMAC', SigningAlgorithmId.AES_GMAC, raw.gmac, 'aes-128-gcm AAD only'],
    ]) {
      row(
        backend,
        name,
        size,
        size,
        () => smb.computeSignature(parts, key16, alg),
        () => rawFn(m),
        rawName,
      );
      const signed = m.slice();
      smb.signMessage(signed, key16, alg);
      const sparts = [signed.subarray(0, 64), signed.subarray(64)];
      row(
        backend,
        name.replace('sign', 'verify'),
        size,
        size,
        () => {
          if (!smb.verifySignature(sparts, key16, alg)) throw new Error('verify failed');
        },
        () => rawFn(m),
        rawName,
      );
    }
    for (const [name, cipher, seal, open, rawName] of [
      ['AES-128-CCM', CipherId.AES_128_CCM, raw.ccmSeal, raw.ccmOpen, 'aes-128-ccm'],
      ['AES-128-GCM', CipherId.AES_128_GCM, raw.gcmSeal, raw.gcmOpen, 'aes-128-gcm'],
    ]) {
      const opts = { cipher, key: key16, sessionId: 0x1234n, message: parts };
      row(
        backend,
        `encrypt ${name} (frame)`,
        size,
        size,
        () => smb.encryptMessage(opts),
        () => seal(m),
        rawName,
      );
      row(
        backend,
        `encrypt ${name} (parts)`,
        size,
        size,
        () => smb.encryptMessageParts(opts),
        () => seal(m),
        rawName,
      );
      const frame = smb.encryptMessage(opts);
      const [ct, tag] = seal(m);
      row(
        backend,
        `decrypt ${name}`,
        size,
        size,
        () => smb.decryptMessage(frame, key16, cipher),
        () => open(ct, tag),
        rawName,
      );
    }
  }
}
setBackend('auto');

console.log(
  `SMB2 crypto (${from}), node ${process.version}, ${ROUNDS} rounds × ${ROUND_MS} ms, MB/s = 10^6 bytes/s`,
);
console.table(rows);
