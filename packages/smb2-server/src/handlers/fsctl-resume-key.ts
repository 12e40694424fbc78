/**
 * FSCTL_SRV_REQUEST_RESUME_KEY (MS-SMB2 §3.3.5.15.5): a 24-byte key naming an open, for a
 * later FSCTL_SRV_COPYCHUNK's SourceKey. Keys are random (unguessable, unique per server in
 * practice), one per open (asked twice, the same key), and live as long as the open.
 * MS-SMB2 looks the key up among all the server's opens; we look it up among the opens of
 * the session that asks, so a key seen by someone else never reads another user's file
 * (Windows clients copy within one session: both opens, any trees of it).
 */
import { randomBytes } from 'node:crypto';
import { type IoctlRequest, NtStatus, resumeKeyResponse } from '@postntlm/smb2-protocol';
import { SmbStatusError } from '../backend/index.js';
import type { Open } from '../core/open.js';
import type { Session } from '../core/session.js';
import { type Answer, type HandlerContext, lookupOpen } from './common.js';
import { ioctlAnswer } from './fsctl-common.js';

const RESUME_KEY_SIZE = 24;
/**
 * SRV_REQUEST_RESUME_KEY: the key, ContextLength 0, and 4 zero bytes of (unused) context —
 * §3.3.5.15.5 sets OutputCount to 32, as Windows and Samba send it.
 */
const RESPONSE_SIZE = 32;

/** Per session: the opens that were given a key, by the key in hex. */
const opensByKey = new WeakMap<Session, Map<string, Open>>();
const keyOfOpen = new WeakMap<Open, Uint8Array>();

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const isLive = (s: Session, o: Open) => s.opens.get(o.fileId, o.treeId) === o;

export function handleRequestResumeKey(ctx: HandlerContext, req: IoctlRequest): Answer {
  const open = lookupOpen(ctx, req.fileId);
  if (req.maxOutputResponse < RESPONSE_SIZE)
    throw new SmbStatusError(NtStatus.INVALID_PARAMETER, 'MaxOutputResponse below SRV_REQUEST_RESUME_KEY');
  let key = keyOfOpen.get(open);
  if (key === undefined) {
    let table = opensByKey.get(ctx.session);
    if (table === undefined) {
      table = new Map();
      opensByKey.set(ctx.session, table);
    }
    // Forget the keys of closed opens (the table lives as long as the session).
    for (const [k, o] of table) if (!isLive(ctx.session, o)) table.delete(k);
    key = new Uint8Array(randomBytes(RESUME_KEY_SIZE));
    table.set(hex(key), open);
    keyOfOpen.set(open, key);
  }
  const output = new Uint8Array(RESPONSE_SIZE);
  output.set(resumeKeyResponse.encode({ resumeKey: key, context: new Uint8Array(0) }));
  return ioctlAnswer(req, output);
}

/** The open a SourceKey names in this session, if it is still open. */
export function openOfResumeKey(ctx: HandlerContext, key: Uint8Array): Open | undefined {
  const table = opensByKey.get(ctx.session);
  const open = table?.get(hex(key));
  if (open === undefined) return undefined;
  if (isLive(ctx.session, open)) return open;
  table?.delete(hex(key));
  return undefined;
}
