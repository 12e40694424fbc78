/**
 * Compounded messages (MS-SMB2 §3.2.4.1.4, §3.3.5.2.7): several SMB2 messages in one
 * transport frame, chained by NextCommand, each but the last padded to 8 bytes.
 */
import { HEADER_SIZE } from './header.js';
import { SmbDecodeError } from './wire/errors.js';

/** Where each message of a frame lies: `[start, end)` in the frame. */
export interface MessageSpan {
  readonly start: number;
  readonly end: number;
}

const NEXT_COMMAND = 20;

/** Splits a frame into its messages; `SmbDecodeError` for a chain that leaves the frame, goes backwards or misaligns. */
export function splitCompound(frame: Uint8Array, maxMessages = 256): MessageSpan[] {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const spans: MessageSpan[] = [];
  let start = 0;
  for (;;) {
    if (frame.length - start < HEADER_SIZE) {
      throw new SmbDecodeError(
        'SMB2 compound',
        start,
        `message of ${frame.length - start} bytes is shorter than a header`,
      );
    }
    const next = view.getUint32(start + NEXT_COMMAND, true);
    if (next === 0) {
      spans.push({ start, end: frame.length });
      return spans;
    }
    if (next % 8 !== 0 || next < HEADER_SIZE || start + next > frame.length) {
      throw new SmbDecodeError(
        'SMB2 Header.NextCommand',
        start + NEXT_COMMAND,
        `NextCommand ${next} is misaligned or outside the frame`,
      );
    }
    spans.push({ start, end: start + next });
    start += next;
    if (spans.length >= maxMessages)
      throw new SmbDecodeError('SMB2 compound', start, `more than ${maxMessages} messages`);
  }
}

/** Joins encoded messages into one frame: pads all but the last to 8 bytes and sets their NextCommand. */
export function joinCompound(messages: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  const sizes = messages.map((m, i) => {
    const size = i === messages.length - 1 ? m.length : Math.ceil(m.length / 8) * 8;
    total += size;
    return size;
  });
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  messages.forEach((m, i) => {
    out.set(m, at);
    view.setUint32(at + NEXT_COMMAND, i === messages.length - 1 ? 0 : (sizes[i] as number), true);
    at += sizes[i] as number;
  });
  return out;
}
