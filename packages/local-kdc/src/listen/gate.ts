/** A counting semaphore for requests in flight. */

/** Admits at most `capacity` holders; others may wait in FIFO order or be turned away. */
export interface Gate {
  /** Holders now. */
  readonly held: number;
  /** Takes a slot if one is free. */
  tryAcquire(): boolean;
  /** Waits for a slot. */
  acquire(): Promise<void>;
  /** Gives a slot back (to the longest waiter, if any). */
  release(): void;
}

/** A {@link Gate} with `capacity` slots. */
export function createGate(capacity: number): Gate {
  let held = 0;
  const waiters: (() => void)[] = [];
  return {
    get held() {
      return held;
    },
    tryAcquire() {
      if (held >= capacity) return false;
      held++;
      return true;
    },
    acquire() {
      if (held < capacity) {
        held++;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    release() {
      const next = waiters.shift();
      // The slot passes straight to the waiter, so `held` stays as it is.
      if (next !== undefined) next();
      else held--;
    },
  };
}
