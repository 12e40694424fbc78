// serve: our KDC (the built package, ../dist) in its own Node process for bench/run.mjs.
// Builds an in-memory realm like tooling/interop/mit-kdc.sh's (MIT.TEST by default; alice /
// alice-Passw0rd, cifs/localhost / cifs-Passw0rd without PAC, krbtgt / krbtgt-Passw0rd),
// listens on 127.0.0.1 (UDP and TCP, the same port), writes alice.keytab and krb5.conf into
// DIR and prints one JSON line {"ready":true,"port":N} on stdout.
//
//   node bench/serve.mjs --dir DIR [--realm MIT.TEST] [--port 0]
//
// With an IPC channel (fork), the parent may send 'count' (answered with the AS-REQ and
// TGS-REQ counts handled so far) and 'stop' (close, exit 0: lets --cpu-prof write its
// profile). Exits when the parent goes away.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePrincipal, writeKeytab } from '@postntlm/krb5-messages';
import { createKdc, listen, MemoryPrincipalStore } from '../dist/index.js';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const dir = arg('--dir');
if (dir === undefined) {
  process.stderr.write('usage: serve.mjs --dir DIR [--realm R] [--port N]\n');
  process.exit(2);
}
const realm = arg('--realm', 'MIT.TEST');
const port = Number(arg('--port', '0'));

const store = new MemoryPrincipalStore(realm);
await store.addPrincipal(`krbtgt/${realm}`, { password: 'krbtgt-Passw0rd' });
await store.addPrincipal('alice', { password: 'alice-Passw0rd' });
await store.addPrincipal('cifs/localhost', {
  password: 'cifs-Passw0rd',
  attributes: { noAuthDataRequired: true },
});
const kdc = createKdc({ realm, store });

// Count requests as the KDC sees them (the MIT side counts its log lines).
const counts = { as: 0, tgs: 0, other: 0 };
const handle = kdc.handle.bind(kdc);
kdc.handle = (bytes, info) => {
  const tag = bytes[0];
  if (tag === 0x6a)
    counts.as++; // [APPLICATION 10] AS-REQ
  else if (tag === 0x6c)
    counts.tgs++; // [APPLICATION 12] TGS-REQ
  else counts.other++;
  return handle(bytes, info);
};

const listener = await listen(kdc, {
  tcp: { port, host: '127.0.0.1' },
  udp: { port, host: '127.0.0.1' },
  // All load comes from 127.0.0.1: the listener's per-source rate limit (200/s by default)
  // would drop most of it (MIT's krb5kdc has none).
  limits: { rateLimit: false },
});
if (listener.tcpPort !== listener.udpPort) {
  // port 0: let TCP pick, then ask for the same UDP port (retry from the parent on failure)
  await listener.close();
  process.stderr.write('serve: TCP and UDP ports differ; pass --port\n');
  process.exit(75);
}

const alice = await store.get(parsePrincipal(`alice@${realm}`));
const entries = (alice?.keys ?? []).map((k) => ({
  principal: parsePrincipal(`alice@${realm}`),
  timestamp: new Date(),
  kvno: k.kvno,
  key: { enctype: k.key.enctype, bytes: k.key.bytes },
}));
await writeFile(join(dir, 'alice.keytab'), writeKeytab(entries));
const enctypes =
  'aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128';
await writeFile(
  join(dir, 'krb5.conf'),
  `# client profile of bench/serve.mjs (our KDC) in ${dir}
[libdefaults]
	default_realm = ${realm}
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1465
	permitted_enctypes = ${enctypes}
	default_tkt_enctypes = ${enctypes}
	default_tgs_enctypes = ${enctypes}
	forwardable = true

[realms]
	${realm} = {
		kdc = 127.0.0.1:${listener.udpPort}
	}

[domain_realm]
	localhost = ${realm}
	.localhost = ${realm}
`,
);

let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  await listener.close().catch(() => {});
  process.exit(code);
};
process.on('message', (m) => {
  if (m === 'count') process.send?.({ counts: { ...counts } });
  else if (m === 'stop') stop(0);
});
process.on('disconnect', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));

process.stdout.write(`${JSON.stringify({ ready: true, port: listener.udpPort, realm })}\n`);
