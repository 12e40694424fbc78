/**
 * Parses the `export NAME=value` lines printed by `mit-kdc.sh env` / `samba.sh env`
 * (one variable per line, values unquoted and without spaces).
 */
export function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) env[m[1]] = m[2];
  }
  return env;
}
