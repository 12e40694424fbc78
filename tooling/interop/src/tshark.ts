/**
 * Turning the exact bytes of an exchange into a pcap that tshark can dissect, without
 * capture privileges: each message gets a UDP header written here and text2pcap adds the
 * IPv4 and link layers (127.0.0.1 both ways). Then `tsharkMalformations` lists what tshark
 * found wrong, so a test can assert there is nothing.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunResult, requireCommand, run } from './process.js';

/** One datagram of the exchange, in the order it crossed the wire. */
export interface UdpMessage {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly bytes: Uint8Array;
}

/** One packet as text2pcap reads it: offset, then 16 hex bytes per line. */
function hexdump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = [...bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(`${i.toString(16).padStart(6, '0')} ${row}`);
  }
  return lines.join('\n');
}

/** A UDP datagram (RFC 768) around `payload`; checksum 0 means none on IPv4. */
function udpDatagram(message: UdpMessage): Uint8Array {
  const out = new Uint8Array(8 + message.bytes.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, message.sourcePort);
  view.setUint16(2, message.destinationPort);
  view.setUint16(4, out.length);
  out.set(message.bytes, 8);
  return out;
}

/** Writes `messages` as `DIR/NAME.pcapng` (through text2pcap) and returns its path. */
export async function writeUdpPcap(
  dir: string,
  name: string,
  messages: readonly UdpMessage[],
): Promise<string> {
  requireCommand('text2pcap', 'text2pcap (wireshark-common)');
  const text = join(dir, `${name}.txt`);
  const pcap = join(dir, `${name}.pcapng`);
  await writeFile(text, `${messages.map((m) => hexdump(udpDatagram(m))).join('\n')}\n`);
  const made = await run('text2pcap', ['-q', '-i', '17', '-4', '127.0.0.1,127.0.0.1', text, pcap]);
  if (made.code !== 0) throw new Error(`text2pcap failed: ${made.stderr}`);
  return pcap;
}

/** Runs tshark on a capture file with extra arguments (`-V`, `-d ...`, `-o ...`). */
export function tsharkRead(pcap: string, args: readonly string[]): Promise<RunResult> {
  requireCommand('tshark', 'tshark');
  return run('tshark', ['-r', pcap, ...args]);
}

/** The lines of a dissection that report malformed packets or error/malformed expert items. */
export function tsharkMalformations(dissection: string): string[] {
  return dissection
    .split('\n')
    .filter(
      (line) =>
        line.includes('Malformed Packet') ||
        line.includes('[Expert Info (Error') ||
        line.includes('(Warning/Malformed)') ||
        line.includes('[Expert Info (Warning/Protocol)'),
    )
    .map((line) => line.trim());
}
