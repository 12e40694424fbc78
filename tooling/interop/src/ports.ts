import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

function freeTcpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function udpPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.close(() => resolve(true));
    });
  });
}

/**
 * A port on 127.0.0.1 that is free for both TCP and UDP right now (the kernel picks one
 * for a TCP bind to port 0, then the same number is bound on UDP). Another process may
 * still take it before the peer binds it: the start functions retry with a new port when
 * the peer reports "port already in use".
 */
export async function findFreePort(host: string = LOOPBACK): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freeTcpPort(host);
    if (port !== 0 && (await udpPortFree(host, port))) return port;
  }
  throw new Error(`no port on ${host} is free for both TCP and UDP after 50 attempts`);
}
