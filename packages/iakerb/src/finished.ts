/**
 * IAKERB-FINISHED (draft §4): a checksum, keyed by the AP-REQ's authenticator subkey, over
 * every IAKerb proxy token of both directions exactly as sent (framing included, realm
 * discovery included, the AP-REQ excluded), carried as an extension of the AP-REQ's 0x8003
 * checksum. It binds the proxied exchange to the context: a proxy that dropped or changed
 * a token cannot produce it.
 */
import { DecodeError, decode, encode } from '@postntlm/der-asn1';
import type { GssChecksum, GssChecksumExtension } from '@postntlm/gssapi-spnego';
import { getEnctype, type Key, makeChecksum, verifyChecksum } from '@postntlm/krb5-crypto';
import { IakerbFinished } from '@postntlm/krb5-messages';
import type { DialectProfile } from './dialect.js';
import { IakerbError } from './errors.js';

/** The bytes every proxy token of a context added, in order. */
export class Transcript {
  private readonly parts: Uint8Array[] = [];
  private total = 0;

  add(token: Uint8Array): void {
    this.parts.push(token.slice());
    this.total += token.length;
  }

  /** How many tokens were recorded (0: no proxying happened, so no FINISHED is due). */
  get count(): number {
    return this.parts.length;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.total);
    let pos = 0;
    for (const p of this.parts) {
      out.set(p, pos);
      pos += p.length;
    }
    return out;
  }
}

/** The FINISHED checksum over `transcript` with `subkey` (its enctype's mandatory checksum type). */
export function finishedChecksum(
  subkey: Key,
  transcript: Uint8Array,
  usage: number,
): { cksumtype: number; checksum: Uint8Array } {
  return {
    cksumtype: getEnctype(subkey.enctype).checksumType,
    checksum: makeChecksum(subkey, usage, transcript),
  };
}

/** The 0x8003 extension carrying FINISHED in `dialect`. */
export function finishedExtension(
  subkey: Key,
  transcript: Uint8Array,
  dialect: DialectProfile,
): GssChecksumExtension {
  const mic = finishedChecksum(subkey, transcript, dialect.finishedUsage);
  return { type: dialect.finishedExtension, data: encode(IakerbFinished, { iakerbMic: mic }) };
}

/**
 * Checks the AP-REQ's FINISHED against the transcript. Throws `finished-missing` when it
 * is absent and `required`, `finished-invalid` when it is present and wrong (or made with
 * another checksum type than the subkey's).
 */
export function checkFinished(
  checksum: GssChecksum,
  subkey: Key | undefined,
  transcript: Transcript,
  dialect: DialectProfile,
  required: boolean,
): void {
  const ext = checksum.extensions.find((e) => e.type === dialect.finishedExtension);
  if (ext === undefined) {
    if (required && transcript.count > 0) {
      throw new IakerbError(
        'finished-missing',
        'the AP-REQ carries no IAKERB-FINISHED although proxy tokens were exchanged',
      );
    }
    return;
  }
  if (transcript.count === 0) {
    throw new IakerbError(
      'finished-invalid',
      'IAKERB-FINISHED present although no proxy token was exchanged',
    );
  }
  if (subkey === undefined)
    throw new IakerbError('finished-invalid', 'IAKERB-FINISHED needs an authenticator subkey');
  let mic: { cksumtype: number; checksum: Uint8Array };
  try {
    mic = decode(IakerbFinished, ext.data).iakerbMic;
  } catch (e) {
    if (e instanceof DecodeError)
      throw new IakerbError('finished-invalid', `bad IAKERB-FINISHED: ${e.message}`, { cause: e });
    throw e;
  }
  const expectedType = getEnctype(subkey.enctype).checksumType;
  if (mic.cksumtype !== expectedType) {
    throw new IakerbError(
      'finished-invalid',
      `IAKERB-FINISHED checksum type ${mic.cksumtype}, expected ${expectedType}`,
    );
  }
  if (!verifyChecksum(subkey, dialect.finishedUsage, transcript.bytes(), mic.checksum)) {
    throw new IakerbError('finished-invalid', 'IAKERB-FINISHED does not match the exchanged tokens');
  }
}
