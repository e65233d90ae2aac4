// The process groups this process started and that are alive now. Process-wide on purpose: a
// second Ctrl-C, or the run outliving its deadline, must end every group whichever command's
// context started it. No imports, so the entry point can hold it without loading execa.

const liveGroups = new Set<number>();

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // A negative pid is the group; Windows has none, so the child alone there.
    if (process.platform === 'win32') process.kill(pid, signal);
    else process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export const addGroup = (pid: number): void => void liveGroups.add(pid);
export const removeGroup = (pid: number): void => void liveGroups.delete(pid);

/** SIGKILL to every group still alive: the last thing before the process exits early. */
export function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
}
