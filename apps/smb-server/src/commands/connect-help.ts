/** What `serve` prints once it listens: the realm and exactly how to connect. */
export interface ServingInfo {
  readonly stateDir: string;
  readonly realm: string;
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly shares: readonly { name: string; path: string }[];
  /** `unix:...`, `tcp:...`, `udp:...` (empty in proxy mode). */
  readonly kdcListeners: readonly string[];
  readonly embedded: boolean;
}

const quote = (s: string): string => (/^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function connectHelp(info: ServingInfo): string {
  const share = info.shares[0]?.name ?? 'SHARE';
  const state = quote(info.stateDir);
  const portArgs = info.port === 445 ? '' : ` --port ${info.port}`;
  const address = info.address === '0.0.0.0' || info.address === '::' ? '127.0.0.1' : info.address;
  const lines = [
    `postntlm-smbd: serving on ${info.address}:${info.port} as cifs/${info.host}@${info.realm}`,
    ...info.shares.map((s) => `  share  \\\\${info.host}\\${s.name}  ->  ${s.path}`),
    `  realm  ${info.realm}${info.embedded ? ' (embedded Local KDC)' : ' (IAKerb proxy)'}`,
    ...(info.kdcListeners.length > 0 ? [`  KDC    ${info.kdcListeners.join(', ')}`] : []),
    '',
  ];
  if (info.embedded) lines.push('Add a user:', `  postntlm-smbd user add alice --state ${state}`, '');
  lines.push(
    'Connect with postntlm-smb (IAKerb through this server: no KDC needed on the client):',
    `  postntlm-smb ls //${info.host}/${share}${portArgs} --address ${address} --user alice --password-stdin`,
    '',
  );
  // smbclient's Kerberos library tries UDP first and does not fall back to a TCP-only KDC here.
  const networkKdc = info.kdcListeners.some((l) => l.startsWith('udp:'));
  if (info.embedded && networkKdc) {
    lines.push(
      'Connect with smbclient (MIT kinit against this KDC):',
      `  postntlm-smbd krb5conf --state ${state} > krb5.conf`,
      '  export KRB5_CONFIG=$PWD/krb5.conf KRB5CCNAME=FILE:$PWD/alice.cc',
      `  kinit alice@${info.realm}`,
      `  smbclient //${info.host}/${share}${portArgs} -I ${address} --use-kerberos=required --use-krb5-ccache=$KRB5CCNAME -c ls`,
      '',
    );
  } else if (info.embedded) {
    lines.push(
      'For smbclient and MIT kinit (no IAKerb in Samba 4.17), expose the KDC: restart with',
      '  --kdc-listen udp:127.0.0.1:8088 --kdc-listen tcp:127.0.0.1:8088, then `postntlm-smbd krb5conf`.',
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
