/**
 * Process-wide enctype policy. RC4-HMAC (23) is refused with UnsupportedAlgorithmError
 * until `enableRc4Hmac()` is called: RC4 and MD4 are broken, the RC4-HMAC key is the NT
 * hash (a password equivalent, open to pass-the-hash and fast offline cracking), and
 * Microsoft is removing it from Active Directory. Enable it only to talk to peers that
 * offer nothing better.
 */

let rc4Enabled = false;

/** Allows RC4-HMAC (enctype 23) everywhere in this process. `enableRc4Hmac(false)` turns it off again. */
export function enableRc4Hmac(enabled = true): void {
  rc4Enabled = enabled === true;
}

/** Refuses RC4-HMAC again (the default). */
export function disableRc4Hmac(): void {
  rc4Enabled = false;
}

/** Whether RC4-HMAC is currently allowed. */
export function isRc4HmacEnabled(): boolean {
  return rc4Enabled;
}
