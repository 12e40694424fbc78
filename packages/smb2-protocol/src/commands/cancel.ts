/**
 * SMB2 CANCEL request (MS-SMB2 §2.2.30). There is no CANCEL response: the cancelled
 * request completes (usually with STATUS_CANCELLED), so only the request codec exists. The
 * header carries what is cancelled (MessageId, or AsyncId with ASYNC_COMMAND).
 */
import type { BodyCodec } from '../codec.js';
import { Command } from '../header.js';
import { type EmptyBody, reservedBody } from './echo.js';

export type CancelRequest = EmptyBody;

export const cancelRequest: BodyCodec<CancelRequest> = reservedBody(Command.CANCEL, false, 'CANCEL Request');
