import type { MitKdc } from './mit-kdc.js';
import type { RunResult } from './process.js';
import type { SambaServer } from './samba.js';

export interface SmbclientOptions {
  /** Share name, default `share`. */
  readonly share?: string;
  /** smbclient commands, joined with `; ` for `-c` (quote names with spaces yourself). */
  readonly commands: readonly string[];
  /** Ticket cache holding a TGT (or the cifs ticket); default the KDC's `kdc.ccache`. */
  readonly ccache?: string;
  /** `--client-protection`; default `sign`. */
  readonly protection?: 'sign' | 'encrypt' | 'off';
  /** `-m`; default `SMB3_11`. */
  readonly maxProtocol?: string;
  /** More smbclient arguments, placed before `-c`. */
  readonly extraArgs?: readonly string[];
}

/** What smbclient needs of a KDC: its default cache and a runner with its environment (a {@link MitKdc} is one). */
export type SmbclientKdc = Pick<MitKdc, 'ccache' | 'run'>;

/** The smbclient argument list for a Kerberos-only session to `samba`. */
export function smbclientArgs(
  kdc: Pick<MitKdc, 'ccache'>,
  samba: SambaServer,
  options: SmbclientOptions,
): string[] {
  return [
    '-s',
    samba.clientConf,
    `//${samba.serverName}/${options.share ?? samba.shares.plain}`,
    '-I',
    samba.host,
    '-p',
    String(samba.port),
    '--use-kerberos=required',
    `--use-krb5-ccache=${options.ccache ?? kdc.ccache}`,
    '-m',
    options.maxProtocol ?? 'SMB3_11',
    `--client-protection=${options.protection ?? 'sign'}`,
    ...(options.extraArgs ?? []),
    '-c',
    options.commands.join('; '),
  ];
}

/**
 * Runs Samba's smbclient against `samba` with Kerberos only (tickets from the ccache, the
 * TGS exchange for cifs/samba.mit.test goes to `kdc`). Resolves whatever the exit code.
 */
export function smbclient(
  kdc: SmbclientKdc,
  samba: SambaServer,
  options: SmbclientOptions,
): Promise<RunResult> {
  // smbclient 4.17 takes the tickets for the session from the default cache (KRB5CCNAME)
  // even when --use-krb5-ccache names another one: point both at the same cache.
  return kdc.run('smbclient', smbclientArgs(kdc, samba, options), {
    timeoutMs: 60_000,
    env: { KRB5CCNAME: options.ccache ?? kdc.ccache },
  });
}
