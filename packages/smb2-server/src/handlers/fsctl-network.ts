/**
 * FSCTL_QUERY_NETWORK_INTERFACE_INFO (MS-SMB2 §3.3.5.15.11): the host's network interfaces,
 * one NETWORK_INTERFACE_INFO (§2.2.32.5) per address. SMB 3.x only (STATUS_NOT_SUPPORTED
 * before, as the section allows); the FileId must be all 0xFF (else STATUS_INVALID_PARAMETER,
 * as Windows and Samba answer); a list longer than MaxOutputResponse is
 * STATUS_BUFFER_TOO_SMALL. Loopback interfaces are left out (no client reaches the
 * server through another host's loopback), as are interfaces with no index. IfIndex and the
 * link speed come from Linux's /sys/class/net when it is there (else the position in the
 * list, and 1 Gbit/s); no interface is reported RSS or RDMA capable.
 */
import { readFile } from 'node:fs/promises';
import { networkInterfaces, type NetworkInterfaceInfo as OsAddress } from 'node:os';
import {
  Dialect,
  type IoctlRequest,
  type NetworkInterfaceInfo,
  NtStatus,
  networkInterfaceInfo,
  type SockAddr,
} from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import { isAnyFileId } from '../core/open.js';
import type { Answer, HandlerContext } from './common.js';
import { ioctlAnswer } from './fsctl-common.js';

const DEFAULT_LINK_SPEED = 1_000_000_000n;

async function sysNumber(name: string, what: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt(await readFile(`/sys/class/net/${name}/${what}`, 'utf8'), 10);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** "a:b::c" (RFC 4291 text, no embedded IPv4, as os.networkInterfaces gives) → 16 bytes. */
export function ipv6Bytes(text: string): Uint8Array {
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = (g >> 8) & 0xff;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function sockAddrOf(a: OsAddress): SockAddr | undefined {
  if (a.family === 'IPv4')
    return { family: 'ipv4', port: 0, address: Uint8Array.from(a.address.split('.').map(Number)) };
  if (a.family === 'IPv6')
    return { family: 'ipv6', port: 0, flowInfo: 0, address: ipv6Bytes(a.address), scopeId: a.scopeid ?? 0 };
  return undefined;
}

/** The host's non-loopback addresses, grouped by interface (one IfIndex per interface). */
export async function localInterfaces(): Promise<NetworkInterfaceInfo[]> {
  const out: NetworkInterfaceInfo[] = [];
  let position = 0;
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    position++;
    const usable = (addrs ?? []).filter((a) => !a.internal);
    if (usable.length === 0) continue;
    const ifIndex = (await sysNumber(name, 'ifindex')) ?? position;
    const mbps = await sysNumber(name, 'speed');
    const linkSpeed = mbps === undefined ? DEFAULT_LINK_SPEED : BigInt(mbps) * 1_000_000n;
    for (const a of usable) {
      const sockAddr = sockAddrOf(a);
      if (sockAddr) out.push({ ifIndex, capability: 0, linkSpeed, sockAddr });
    }
  }
  return out;
}

export async function handleNetworkInterfaceInfo(ctx: HandlerContext, req: IoctlRequest): Promise<Answer> {
  if (ctx.negotiated.dialect < Dialect.SMB_3_0)
    throw new SmbStatusError(NtStatus.NOT_SUPPORTED, 'network interface information is SMB 3.x');
  // §3.3.5.15: this FSCTL names no open; any FileId but all 0xFF is INVALID_PARAMETER.
  if (!isAnyFileId(req.fileId))
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'FSCTL_QUERY_NETWORK_INTERFACE_INFO with a FileId');
  const output = networkInterfaceInfo.encode(await localInterfaces());
  if (output.length > req.maxOutputResponse)
    throw new SmbStatusError(NtStatus.BUFFER_TOO_SMALL, 'MaxOutputResponse below the interface list');
  return ioctlAnswer(req, output);
}
