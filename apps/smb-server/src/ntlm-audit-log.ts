/**
 * The NTLM audit on disk: the server refuses every NTLMSSP attempt and appends one JSON
 * line per attempt here, so `postntlm-smbd ntlm-audit` (another process) can list who
 * still tries NTLM. The file is 0600: it holds client addresses.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { mechanismName } from '@postntlm/gssapi-spnego';
import type { NtlmAttempt } from '@postntlm/smb2-server';

export interface NtlmAuditRecord {
  /** ISO 8601 time of the attempt. */
  readonly at: string;
  /** Client address and port. */
  readonly peer: string;
  /** What the client offered: SPNEGO mechanism OIDs (with names), or `NTLMSSP` for a raw token. */
  readonly offered: readonly string[];
}

/** `1.3.6.1.4.1.311.2.2.10` → `NTLMSSP (1.3.6.1.4.1.311.2.2.10)`. */
export const describeMech = (oid: string): string => {
  const name = mechanismName(oid);
  return name === undefined ? oid : `${name} (${oid})`;
};

export function toRecord(attempt: NtlmAttempt): NtlmAuditRecord {
  return { at: attempt.at.toISOString(), peer: attempt.peer, offered: attempt.offered.map(describeMech) };
}

export async function appendNtlmAudit(path: string, attempt: NtlmAttempt): Promise<void> {
  await appendFile(path, `${JSON.stringify(toRecord(attempt))}\n`, { mode: 0o600 });
}

/** Every record in the file (none when it does not exist); lines that are not records are skipped. */
export async function readNtlmAudit(path: string): Promise<NtlmAuditRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: NtlmAuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as Partial<NtlmAuditRecord>;
      if (typeof r.at === 'string' && typeof r.peer === 'string' && Array.isArray(r.offered))
        out.push({ at: r.at, peer: r.peer, offered: r.offered.filter((o) => typeof o === 'string') });
    } catch {
      // a line cut short by a crash: the others still count
    }
  }
  return out;
}
