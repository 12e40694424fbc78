// engine: the KDC engine's own cost per request, in process and without sockets (a quick
// loop for profiling; bench/run.mjs is the real comparison with MIT). Builds the realm of
// serve.mjs, records real requests made by @postntlm/krb5-client's exchanges (AS-REQ
// without padata, AS-REQ with PA-ENC-TIMESTAMP, TGS-REQs each with a fresh subkey, as
// clients send them) and replays them through kdc.handle(), one at a time (c=1) or with
// 8 in flight. Prints µs per request for each kind.
//
//   node --expose-gc bench/engine.mjs [--seconds 2] [--repeat 5] [--tgs-requests 6000] [--only as-nopa|as-pa|tgs]
//     [--profile FILE.cpuprofile] (a V8 CPU profile of the measured loops only) [--dist DIR]
//     [--heap-profile FILE.heapprofile] (sampled allocations of the measured loops, objects a
//     GC has since collected included: where the young-generation garbage comes from)
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createAsExchange, createTgsExchange, runExchange } from '@postntlm/krb5-client';
import { parsePrincipal } from '@postntlm/krb5-messages';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const SECONDS = Number(arg('--seconds', '2'));
const REPEAT = Number(arg('--repeat', '5'));
const TGS_REQUESTS = Number(arg('--tgs-requests', '6000')); // > keyFromBytes' cache: every subkey is new
const ONLY = arg('--only', undefined);
const PROFILE = arg('--profile', undefined);
const HEAP_PROFILE = arg('--heap-profile', undefined);
// --dist DIR: another build of this package (e.g. a baseline copy, to compare in turns)
const DIST = new URL(
  `${arg('--dist', fileURLToPath(new URL('../dist', import.meta.url)))}/index.js`,
  'file:///',
);
const { createKdc, MemoryPrincipalStore } = await import(DIST.href);
const realm = 'MIT.TEST';

const store = new MemoryPrincipalStore(realm);
await store.addPrincipal(`krbtgt/${realm}`, { password: 'krbtgt-Passw0rd' });
await store.addPrincipal('alice', { password: 'alice-Passw0rd' });
await store.addPrincipal('cifs/localhost', {
  password: 'cifs-Passw0rd',
  attributes: { noAuthDataRequired: true },
});
const kdc = createKdc({ realm, store });
const info = { transport: 'udp', peer: '127.0.0.1:40000' };

const alice = await store.get(parsePrincipal(`alice@${realm}`));
const keytab = alice.keys.map((k) => ({
  principal: parsePrincipal(`alice@${realm}`),
  kvno: k.kvno,
  key: k.key,
}));
const client = `alice@${realm}`;
// MIT's client order (bench/serve.mjs's krb5.conf): aes256-sha1 first.
const enctypes = [18, 17, 20, 19];

const recorded = [];
const recorder = async (_realm, bytes) => {
  recorded.push(bytes);
  const reply = await kdc.handle(bytes, info);
  if (reply === null) throw new Error('dropped');
  return reply;
};
const asCall = () =>
  runExchange(
    createAsExchange({
      client,
      credentials: { keytab },
      etypes: enctypes,
      options: { forwardable: true, preauthUpfront: false },
    }),
    recorder,
  );
const tgt = await asCall();
const [asPlain, asPreauth] = recorded.splice(0);
for (let i = 0; i < TGS_REQUESTS; i++) {
  await runExchange(createTgsExchange({ tgt, server: 'cifs/localhost', etypes: enctypes }), recorder);
}
const tgsReqs = recorded.splice(0);
console.log(
  `engine: AS-REQ ${asPlain.length} B, AS-REQ+PA ${asPreauth.length} B, ${tgsReqs.length} TGS-REQs of ${tgsReqs[0].length} B; ` +
    `TGT session key enctype ${tgt.sessionKey?.enctype ?? tgt.key?.enctype}`,
);

async function measure(name, next, concurrency) {
  const expect = (r) => {
    if (r === null || (r[0] === 0x7e && name !== 'as-nopa'))
      throw new Error(`${name}: unexpected reply ${r?.[0]}`);
  };
  const loop = async (until) => {
    let n = 0;
    const worker = async () => {
      while (performance.now() < until) {
        expect(await kdc.handle(next(), info));
        n++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return n;
  };
  await loop(performance.now() + 300);
  // The best of REPEAT slices: on a shared machine the others' load only ever adds time.
  let best = { rate: 0, us: Number.POSITIVE_INFINITY };
  for (let r = 0; r < REPEAT; r++) {
    globalThis.gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const n = await loop(t0 + (SECONDS * 1000) / REPEAT);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    best = { rate: Math.max(best.rate, (n / ms) * 1000), us: Math.min(best.us, (cpu.user + cpu.system) / n) };
  }
  console.log(
    `${name.padEnd(8)} c${concurrency}  ${best.rate.toFixed(0).padStart(6)} req/s  ${best.us.toFixed(1).padStart(6)} µs CPU/req`,
  );
  return best.rate;
}

let session;
if (PROFILE !== undefined || HEAP_PROFILE !== undefined) {
  session = new Session();
  session.connect();
}
if (HEAP_PROFILE !== undefined) {
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
if (PROFILE !== undefined) {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
let t = 0;
const kinds = {
  'as-nopa': () => asPlain,
  'as-pa': () => asPreauth,
  tgs: () => tgsReqs[t++ % tgsReqs.length],
};
for (const [name, next] of Object.entries(kinds)) {
  if (ONLY !== undefined && ONLY !== name) continue;
  for (const c of [1, 8]) await measure(name, next, c);
}
if (PROFILE !== undefined) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(PROFILE, JSON.stringify(profile));
  console.log(`engine: profile in ${PROFILE}`);
}
if (HEAP_PROFILE !== undefined) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(HEAP_PROFILE, JSON.stringify(profile));
  console.log(`engine: sampled allocations in ${HEAP_PROFILE}`);
}
