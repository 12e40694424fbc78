import { RpcError } from './errors.js';

/** A presentation syntax: interface or transfer syntax UUID plus its 32-bit version. */
export interface SyntaxId {
  /** Lower-case canonical form, e.g. `8a885d04-1ceb-11c9-9fe8-08002b104860`. */
  readonly uuid: string;
  /**
   * As on the wire (u32). For interfaces the low 16 bits are the major and the high 16 bits
   * the minor version (`if_version_major`, `if_version_minor`).
   */
  readonly version: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The 16-octet NDR form of a UUID: the first three fields little-endian, the rest as written. */
export function uuidToBytes(uuid: string): Uint8Array {
  const text = uuid.toLowerCase();
  if (!UUID_RE.test(text)) throw new RpcError('malformed', `not a UUID: ${uuid}`);
  const hex = text.replaceAll('-', '');
  const raw = Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const out = new Uint8Array(16);
  out.set([raw[3]!, raw[2]!, raw[1]!, raw[0]!, raw[5]!, raw[4]!, raw[7]!, raw[6]!]);
  out.set(raw.subarray(8), 8);
  return out;
}

export function uuidFromBytes(bytes: Uint8Array, offset = 0): string {
  if (offset + 16 > bytes.length) throw new RpcError('truncated', 'UUID needs 16 octets');
  const b = (i: number): string => bytes[offset + i]!.toString(16).padStart(2, '0');
  const run = (indices: readonly number[]): string => indices.map(b).join('');
  return [run([3, 2, 1, 0]), run([5, 4]), run([7, 6]), run([8, 9]), run([10, 11, 12, 13, 14, 15])].join('-');
}

export function sameSyntax(a: SyntaxId, b: SyntaxId): boolean {
  return a.uuid === b.uuid && a.version === b.version;
}
