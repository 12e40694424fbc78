/**
 * A credential store: the tickets a client holds, looked up by service, so a TGT is reused
 * for many service tickets and service tickets are reused until they expire. In memory;
 * `saveCredentials` / `loadCredentials` move it to and from a ccache file.
 */
import { type Principal, principalEquals } from '@postntlm/krb5-messages';
import { type Credential, isCredentialCurrent } from '../exchange/credential.js';

/** Where tickets are kept between exchanges. */
export interface CredentialStore {
  /** Adds a credential, replacing one for the same client and server. */
  add(credential: Credential): void;
  /** A credential for `server` (and `client`, if given) valid at `now` (ms), if any. */
  find(
    server: Principal,
    options?: { readonly client?: Principal; readonly now?: number },
  ): Credential | undefined;
  /** Every credential, in the order added. */
  list(): readonly Credential[];
  /** Removes expired credentials (at `now`, ms); returns how many. */
  prune(now?: number): number;
}

/** The TGT principal `krbtgt/REALM@REALM`. */
export const tgtPrincipal = (realm: string): Principal => ({
  realm,
  name: { nameType: 2, nameString: ['krbtgt', realm] },
});

/** An in-memory CredentialStore. */
export class MemoryCredentialStore implements CredentialStore {
  private readonly credentials: Credential[] = [];

  constructor(initial: readonly Credential[] = []) {
    for (const c of initial) this.add(c);
  }

  add(credential: Credential): void {
    const i = this.credentials.findIndex(
      (c) => principalEquals(c.client, credential.client) && principalEquals(c.server, credential.server),
    );
    if (i >= 0) this.credentials.splice(i, 1);
    this.credentials.push(credential);
  }

  find(
    server: Principal,
    options: { readonly client?: Principal; readonly now?: number } = {},
  ): Credential | undefined {
    const now = options.now ?? Date.now();
    return this.credentials.find(
      (c) =>
        principalEquals(c.server, server) &&
        (options.client === undefined || principalEquals(c.client, options.client)) &&
        isCredentialCurrent(c, now),
    );
  }

  list(): readonly Credential[] {
    return [...this.credentials];
  }

  prune(now: number = Date.now()): number {
    const before = this.credentials.length;
    for (let i = this.credentials.length - 1; i >= 0; i--) {
      const c = this.credentials[i]!;
      if (c.endtime.getTime() <= now + c.kdcTimeOffsetMs) this.credentials.splice(i, 1);
    }
    return before - this.credentials.length;
  }
}
