/** SMB2 ECHO request and response (MS-SMB2 §2.2.28, §2.2.29): StructureSize 4 and two reserved bytes. */
import type { BodyCodec } from '../codec.js';
import { Command } from '../header.js';

/** A body with nothing in it but StructureSize (4) and Reserved. */
export type EmptyBody = Readonly<Record<string, never>>;

/** @internal The codec of a body that is StructureSize 4 and a reserved u16 (LOGOFF, TREE_DISCONNECT, ECHO, CANCEL). */
export function reservedBody(command: number, response: boolean, name: string): BodyCodec<EmptyBody> {
  return {
    command,
    response,
    name,
    encode(_v, w) {
      w.u16(4).u16(0);
    },
    decode(r0) {
      const r = r0.named(name);
      r.structureSize(4);
      r.skip(2, 'Reserved');
      return {};
    },
  };
}

export type EchoRequest = EmptyBody;
export type EchoResponse = EmptyBody;

export const echoRequest: BodyCodec<EchoRequest> = reservedBody(Command.ECHO, false, 'ECHO Request');
export const echoResponse: BodyCodec<EchoResponse> = reservedBody(Command.ECHO, true, 'ECHO Response');
