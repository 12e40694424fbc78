/** The Local KDC realm name: `LOCALKDC.<UUID>` in upper case (../shared/specs/iakerb.md §3, §5). */
import type { Random } from '@postntlm/krb5-client';

/** A new realm `LOCALKDC.<random version-4 UUID, upper case>`. */
export function generateRealm(random: Random): string {
  const b = random.bytes(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return `LOCALKDC.${uuid.toUpperCase()}`;
}
