// A bound on processes running at once: `diagnose` over ten contexts would otherwise start forty
// kubectl processes together on a laptop. A waiting process has not started, so its own timeout
// (and kubectl's --request-timeout) begins only when it gets a slot; the run's deadline still
// cancels it while it waits.

export interface Slots {
  /** Runs `start` once fewer than the bound are running; the slot frees when it settles. */
  use<T>(start: () => Promise<T>): Promise<T>;
}

export function newSlots(limit: number): Slots {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return {
    async use(start) {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      running += 1;
      try {
        return await start();
      } finally {
        release();
      }
    },
  };
}
