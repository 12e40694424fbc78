// serve: our SMB server (the built package, ../dist, or SMB_SERVER_MODULE) in its own Node
// process for bench/run.mjs, so its CPU is its own. Serves DIR as [share] and, encrypted, as
// [enc], with the service keys of KEYTAB (e.g. MIT's cifs.keytab from tooling/interop's
// mit-kdc.sh: cifs/samba.mit.test), on 127.0.0.1:PORT. Prints {"ready":true,"port":N}.
//
//   node bench/serve.mjs --keytab FILE --dir DIR [--port 0]
//
// With an IPC channel (fork), 'stop' closes the server and exits 0. Exits when the parent goes.
import { loadKeytab } from '@postntlm/krb5-messages';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const keytabPath = arg('--keytab');
const dir = arg('--dir');
if (keytabPath === undefined || dir === undefined) {
  process.stderr.write('usage: serve.mjs --keytab FILE --dir DIR [--port N]\n');
  process.exit(2);
}
const { createSmbServer } = await import(
  process.env.SMB_SERVER_MODULE === undefined
    ? '../dist/index.js'
    : new URL(process.env.SMB_SERVER_MODULE, `file://${process.cwd()}/`).href
);
const server = createSmbServer({
  keytab: await loadKeytab(keytabPath),
  shares: [
    { name: 'share', path: dir },
    { name: 'enc', path: dir, encrypt: true },
  ],
});
const { port } = await server.listen({ host: '127.0.0.1', port: Number(arg('--port', '0')) });
process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('message', (m) => {
  if (m === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
