/** SMB2 TREE_DISCONNECT request and response (MS-SMB2 §2.2.11, §2.2.12). */
import type { BodyCodec } from '../codec.js';
import { Command } from '../header.js';
import { type EmptyBody, reservedBody } from './echo.js';

export type TreeDisconnectRequest = EmptyBody;
export type TreeDisconnectResponse = EmptyBody;

export const treeDisconnectRequest: BodyCodec<TreeDisconnectRequest> = reservedBody(
  Command.TREE_DISCONNECT,
  false,
  'TREE_DISCONNECT Request',
);
export const treeDisconnectResponse: BodyCodec<TreeDisconnectResponse> = reservedBody(
  Command.TREE_DISCONNECT,
  true,
  'TREE_DISCONNECT Response',
);
