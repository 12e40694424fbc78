/** Notices when a listener has been idle long enough for an on-demand KDC to exit. */

/** Tracks activity; calls `onIdle` once after `ms` with nothing open and nothing in flight. */
export interface IdleWatch {
  /** Something started (a connection opened, a request arrived). */
  begin(): void;
  /** Something that `begin` announced ended. */
  end(): void;
  /** Stops watching (the listener closed for another reason). */
  stop(): void;
}

/** An {@link IdleWatch}; with `ms` undefined it never fires. */
export function idleWatch(ms: number | undefined, onIdle: () => void): IdleWatch {
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = ms === undefined;
  const arm = (): void => {
    if (stopped || active > 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (stopped || active > 0) return;
      stopped = true;
      onIdle();
    }, ms);
    // The sockets keep the process alive while it serves; the timer alone must not.
    timer.unref();
  };
  arm();
  return {
    begin() {
      active++;
      clearTimeout(timer);
    },
    end() {
      active--;
      arm();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
