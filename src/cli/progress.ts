// Progress for a person at a terminal: after about a second of silence, one line on stderr saying
// what is being read (the command in flight) and for how long, rewritten in place and erased before
// anything else is printed. Never off a terminal, never with -o json|yaml, never with --verbose
// (which prints every command anyway).

const DELAY_MS = 1000;
const REFRESH_MS = 500;

export interface Progress {
  /** A command started; `finished` is where the run records each process as it ends. */
  update(display: string, finished: readonly { display: string }[]): void;
  /** Erase the line (before any other output) and stop. */
  stop(): void;
}

/** The commands still running: those started, less one for each that has finished (oldest first). */
export function inFlight(started: readonly string[], finished: readonly { display: string }[]): string[] {
  const done = new Map<string, number>();
  for (const f of finished) done.set(f.display, (done.get(f.display) ?? 0) + 1);
  return started.filter((d) => {
    const n = done.get(d) ?? 0;
    if (n > 0) done.set(d, n - 1);
    return n === 0;
  });
}

/** The line as shown: cut to the terminal, so that `\r` can always rewrite it. */
export function progressLine(running: readonly string[], seconds: number, columns: number): string {
  const more = running.length > 1 ? ` (+${running.length - 1} more)` : '';
  const text = `waiting ${seconds}s on: ${running[0]}${more}`;
  return text.length < columns ? text : `${text.slice(0, Math.max(10, columns - 2))}…`;
}

export function startProgress(write: (text: string) => void, columns: number, now: () => number = Date.now): Progress {
  const started = now();
  const commands: string[] = [];
  let finished: readonly { display: string }[] = [];
  let shown = false;
  let stopped = false;
  const render = () => {
    const running = inFlight(commands, finished);
    if (stopped || running.length === 0) return;
    shown = true;
    write(`\r\u001b[K${progressLine(running, Math.round((now() - started) / 1000), columns)}`);
  };
  // One unref'd timer: it never keeps the process alive, and nothing shows before the delay.
  const refresh = setInterval(() => {
    if (now() - started >= DELAY_MS) render();
  }, REFRESH_MS);
  refresh.unref();
  return {
    update(display, records) {
      commands.push(display);
      finished = records;
      if (shown) render();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(refresh);
      if (shown) write('\r\u001b[K');
    },
  };
}
