#!/usr/bin/env node
// kdc-load: a load generator for any KDC on this machine, built on @postntlm/krb5-client's
// sans-IO exchanges and its UDP/TCP transports (the built package, ../dist).
//
//   node bench/kdc-load.mjs --kdc 127.0.0.1:88 --realm MIT.TEST --principal alice \
//     --keytab alice.keytab [--service cifs/localhost] [--mode as|tgs] [--concurrency 8] \
//     [--duration 5] [--warmup 0.5] [--transport udp|tcp] [--timeout-ms 5000] [--json]
//
// as:  one call = a keytab AS exchange with pre-authentication, the way `kinit -k` does
//      it: an AS-REQ without padata, KDC_ERR_PREAUTH_REQUIRED, an AS-REQ with
//      PA-ENC-TIMESTAMP (2 KDC requests per call, as MIT's own benchmarks count them);
//      --preauth-upfront: our default instead, PA-ENC-TIMESTAMP in the first AS-REQ (the
//      key from a keytab does not depend on the KDC's salt), 1 KDC request per call;
// tgs: one TGT first, then one call = a TGS exchange for --service (1 KDC request).
// N calls are kept in flight until the duration is over (calls started during the warm-up
// are not counted). Prints calls/s, KDC requests/s, latency p50/p99 of successful calls and
// failures by Kerberos error name (KDC_ERR_...) or transport error class.
//
// Only loopback KDCs (127.0.0.0/8, ::1, localhost): this is for throw-away test KDCs,
// never a tool to load someone's production KDC.
import { isIPv4, isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createAsExchange,
  createTgsExchange,
  KerberosError,
  resolveKeytab,
  runExchange,
  TcpTransport,
  UdpTransport,
} from '../dist/index.js';

const USAGE =
  'usage: kdc-load --kdc HOST:PORT --realm REALM --principal NAME --keytab PATH [--service SPN] ' +
  '[--mode as|tgs] [--preauth-upfront] [--concurrency N] [--duration S] [--warmup S] [--transport udp|tcp] [--timeout-ms MS] [--json]';

function fail(message, code = 2) {
  process.stderr.write(`kdc-load: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const o = {
    mode: 'as',
    concurrency: 1,
    duration: 5,
    warmup: 0.5,
    transport: 'udp',
    timeoutMs: 5000,
    json: false,
    preauthUpfront: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') {
      o.json = true;
      continue;
    }
    if (a === '--preauth-upfront') {
      o.preauthUpfront = true;
      continue;
    }
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const v = argv[i + 1];
    if (v === undefined) fail(`${a} needs a value\n${USAGE}`);
    i++;
    switch (a) {
      case '--kdc':
        o.kdc = v;
        break;
      case '--realm':
        o.realm = v;
        break;
      case '--principal':
        o.principal = v;
        break;
      case '--keytab':
        o.keytab = v;
        break;
      case '--service':
        o.service = v;
        break;
      case '--mode':
        o.mode = v;
        break;
      case '--concurrency':
        o.concurrency = Number(v);
        break;
      case '--duration':
        o.duration = Number(v);
        break;
      case '--warmup':
        o.warmup = Number(v);
        break;
      case '--transport':
        o.transport = v;
        break;
      case '--timeout-ms':
        o.timeoutMs = Number(v);
        break;
      default:
        fail(`unknown option ${a}\n${USAGE}`);
    }
  }
  for (const k of ['kdc', 'realm', 'principal', 'keytab'])
    if (o[k] === undefined) fail(`--${k} is required\n${USAGE}`);
  if (o.mode !== 'as' && o.mode !== 'tgs') fail('--mode must be as or tgs');
  if (o.mode === 'tgs' && o.service === undefined) fail('--mode tgs needs --service');
  if (o.transport !== 'udp' && o.transport !== 'tcp') fail('--transport must be udp or tcp');
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1 || o.concurrency > 1024) {
    fail('--concurrency must be an integer in 1..1024');
  }
  if (!(o.duration > 0 && o.duration <= 3600)) fail('--duration must be in (0, 3600] seconds');
  if (!(o.warmup >= 0 && o.warmup <= 60)) fail('--warmup must be in [0, 60] seconds');
  if (!(o.timeoutMs > 0)) fail('--timeout-ms must be positive');
  return o;
}

/** `host:port`, `[v6]:port` or `host` (port 88) -> { host, port }; loopback only. */
export function loopbackKdc(spec) {
  let host = spec;
  let port = 88;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (bracket !== null) {
    host = bracket[1];
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if (!isIPv6(spec)) {
    const colon = spec.lastIndexOf(':');
    if (colon >= 0) {
      host = spec.slice(0, colon);
      port = Number(spec.slice(colon + 1));
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port in --kdc ${spec}`);
  if (host === 'localhost') return { host: '127.0.0.1', port };
  if (isIPv4(host) && host.split('.')[0] === '127') return { host, port };
  if (isIPv6(host)) {
    const lower = host.toLowerCase();
    if (/^(0{0,4}:){2,7}0{0,3}1$/.test(lower) || lower === '::1') return { host: '::1', port };
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped !== null && isIPv4(mapped[1]) && mapped[1].startsWith('127.'))
      return { host: mapped[1], port };
  }
  throw new Error(
    `refusing KDC ${spec}: kdc-load only targets loopback addresses (127.0.0.0/8, ::1, localhost)`,
  );
}

function errorName(e) {
  if (e instanceof KerberosError) return e.codeName;
  if (e instanceof Error) return e.name === 'Error' ? e.constructor.name : e.name;
  return typeof e;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
}

export async function runLoad(o) {
  const target = loopbackKdc(o.kdc);
  const udp = new UdpTransport({ host: target.host, port: target.port });
  const tcp = new TcpTransport({ host: target.host, port: target.port });
  const client = o.principal.includes('@') ? o.principal : `${o.principal}@${o.realm}`;
  const keys = (await resolveKeytab(o.keytab).list()).map((e) => ({
    principal: e.principal,
    kvno: e.kvno,
    key: e.key,
  }));

  /** A send function for one call, counting that call's KDC requests in `counter.n`. */
  const sender = (counter) => async (_realm, bytes, preferStream) => {
    counter.n++;
    const transport = o.transport === 'tcp' || preferStream ? tcp : udp;
    return transport.send(bytes, { timeoutMs: o.timeoutMs });
  };
  const asCall = (send) =>
    runExchange(
      createAsExchange({
        client,
        credentials: { keytab: keys },
        options: { forwardable: true, preauthUpfront: o.preauthUpfront === true },
      }),
      send,
    );
  let call = asCall;
  if (o.mode === 'tgs') {
    const tgt = await asCall(sender({ n: 0 }));
    call = (send) => runExchange(createTgsExchange({ tgt, server: o.service }), send);
  }

  const start = performance.now();
  const measureFrom = start + o.warmup * 1000;
  const deadline = measureFrom + o.duration * 1000;
  const latencies = [];
  const errors = new Map();
  let calls = 0;
  let allCalls = 0;
  let failures = 0;
  let measuredRequests = 0;
  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= deadline) return;
      const counter = { n: 0 };
      let error;
      try {
        await call(sender(counter));
      } catch (e) {
        error = e;
      }
      const t1 = performance.now();
      allCalls++;
      if (t0 < measureFrom) continue;
      calls++;
      measuredRequests += counter.n;
      if (error === undefined) latencies.push(t1 - t0);
      else {
        failures++;
        const name = errorName(error);
        errors.set(name, (errors.get(name) ?? 0) + 1);
      }
    }
  };
  // The generator's own CPU per call tells a slower KDC from replies that cost the client more.
  let cpuAtMeasure;
  const cpuTimer = setTimeout(
    () => {
      cpuAtMeasure = { cpu: process.cpuUsage(), calls: allCalls };
    },
    Math.max(0, measureFrom - performance.now()),
  );
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  clearTimeout(cpuTimer);
  const cpuSince = process.cpuUsage(cpuAtMeasure?.cpu);
  const cpuCalls = allCalls - (cpuAtMeasure?.calls ?? 0);
  const seconds = Math.min(o.duration, (performance.now() - measureFrom) / 1000);
  latencies.sort((a, b) => a - b);
  return {
    client: 'postntlm',
    mode: o.mode,
    preauthUpfront: o.mode === 'as' && o.preauthUpfront === true,
    transport: o.transport,
    kdc: `${target.host}:${target.port}`,
    principal: client,
    concurrency: o.concurrency,
    seconds,
    calls,
    allCalls,
    failures,
    kdcRequests: measuredRequests,
    callsPerSecond: calls / seconds,
    kdcRequestsPerSecond: measuredRequests / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    clientCpuMsPerCall: cpuCalls > 0 ? (cpuSince.user + cpuSince.system) / 1000 / cpuCalls : 0,
    errors: Object.fromEntries(errors),
  };
}

export function describeResult(r) {
  const errs = Object.entries(r.errors);
  return (
    `${r.mode}${r.preauthUpfront ? ' (preauth upfront)' : ''} over ${r.transport} to ${r.kdc}, ${r.principal}, concurrency ${r.concurrency}, ${r.seconds.toFixed(1)} s: ` +
    `${r.callsPerSecond.toFixed(0)} calls/s, ${r.kdcRequestsPerSecond.toFixed(0)} KDC requests/s, ` +
    `p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, client CPU ${r.clientCpuMsPerCall.toFixed(3)} ms/call, ` +
    `errors: ${errs.length === 0 ? 'none' : errs.map(([k, v]) => `${k}=${v}`).join(' ')}`
  );
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const o = parseArgs(process.argv.slice(2));
  try {
    loopbackKdc(o.kdc);
  } catch (e) {
    fail(e.message);
  }
  runLoad(o).then(
    (r) => {
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : `kdc-load: ${describeResult(r)}\n`);
    },
    (e) => fail(`${errorName(e)}: ${e.message}`, 1),
  );
}
