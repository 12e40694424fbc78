/** The credential cache kinit writes and SMB commands read: KRB5CCNAME, else MIT's default. */
export function ccacheName(env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env.KRB5CCNAME;
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return `FILE:/tmp/krb5cc_${uid}`;
}
