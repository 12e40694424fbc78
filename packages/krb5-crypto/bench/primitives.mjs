// node vs noble throughput for the hot SMB 3 / Kerberos primitives.
// Run after `pnpm -F @postntlm/krb5-crypto build`: node bench/primitives.mjs
import { getBackendByName } from '../dist/primitives/index.js';

const node = getBackendByName('node');
const noble = getBackendByName('noble');
const key = new Uint8Array(16).fill(1);
const iv = new Uint8Array(16).fill(2);
const nonce = new Uint8Array(12).fill(3);
const aad = new Uint8Array(32).fill(4);

const cases = {
  'AES-128-GCM seal': (b, d) => b.aesGcmSeal(key, nonce, d, aad),
  'AES-128-CCM seal': (b, d) => b.aesCcmSeal(key, nonce.subarray(0, 11), d, aad),
  'AES-128-CBC enc': (b, d) => b.aesCbcEncrypt(key, iv, d),
  'AES-128-CMAC': (b, d) => b.aesCmac(key, d),
  'HMAC-SHA256': (b, d) => b.hmac('sha256', key, d),
};

/** MB/s over ~ms milliseconds, after a warm-up. */
function measure(fn, data, ms = 300) {
  for (let i = 0; i < 50; i++) fn(data);
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 20; i++) fn(data);
    n += 20;
    now = performance.now();
  }
  return (n * data.length) / ((now - start) / 1000) / 1e6;
}

const rows = [];
for (const [name, f] of Object.entries(cases)) {
  for (const size of [64, 1024, 65536]) {
    const data = new Uint8Array(size).fill(5);
    const a = measure((d) => f(node, d), data);
    const b = measure((d) => f(noble, d), data);
    rows.push({
      primitive: name,
      size,
      'node MB/s': a.toFixed(1),
      'noble MB/s': b.toFixed(1),
      'node/noble': (a / b).toFixed(2),
    });
  }
}
console.table(rows);
