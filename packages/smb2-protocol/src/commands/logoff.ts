/** SMB2 LOGOFF request and response (MS-SMB2 §2.2.7, §2.2.8). */
import type { BodyCodec } from '../codec.js';
import { Command } from '../header.js';
import { type EmptyBody, reservedBody } from './echo.js';

export type LogoffRequest = EmptyBody;
export type LogoffResponse = EmptyBody;

export const logoffRequest: BodyCodec<LogoffRequest> = reservedBody(Command.LOGOFF, false, 'LOGOFF Request');
export const logoffResponse: BodyCodec<LogoffResponse> = reservedBody(
  Command.LOGOFF,
  true,
  'LOGOFF Response',
);
