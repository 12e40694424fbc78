/** What `serve` prints once it listens: the realm and exactly how to connect. */
import { isIP } from 'node:net';

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

/** Samba's smbclient goes straight to NTLM for these target names (seen with 4.17). */
const kerberosRefusedBySmbclient = (host: string): boolean => host === 'localhost' || isIP(host) !== 0;

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
  // smbclient 4.17 has no IAKerb: it needs a KDC on the network (`krb5conf` makes its
  // krb5.conf work for a UDP or a TCP-only listener).
  const networkKdc = info.kdcListeners.some((l) => l.startsWith('udp:') || l.startsWith('tcp:'));
  if (info.embedded && networkKdc) {
    lines.push(
      'Connect with smbclient (MIT kinit against this KDC):',
      `  postntlm-smbd krb5conf --state ${state} > krb5.conf`,
      '  export KRB5_CONFIG=$PWD/krb5.conf KRB5CCNAME=FILE:$PWD/alice.cc',
      `  kinit alice@${info.realm}`,
      `  smbclient //${info.host}/${share}${portArgs} -I ${address} --use-kerberos=required --use-krb5-ccache=$KRB5CCNAME -c ls`,
      '',
    );
    if (kerberosRefusedBySmbclient(info.host))
      lines.push(
        `Note: smbclient will not use Kerberos for a server named ${info.host}: serve with --host NAME,`,
        'a name the clients use for this machine (see the README, "Choosing the host name").',
        '',
      );
  } else if (info.embedded) {
    lines.push(
      'For smbclient and MIT kinit (no IAKerb in Samba 4.17), expose the KDC: restart with',
      '  --kdc-listen tcp:127.0.0.1:8088 (and/or udp:127.0.0.1:8088), then `postntlm-smbd krb5conf`.',
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
