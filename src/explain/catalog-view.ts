// The catalog joined with the registries: for each cause, the checks that may report it and the
// commands they run in; for each check, its commands. `explain` and docs/causes.md read this.
import { CAUSE_CATALOG, type CauseEntry, type CauseId } from '../causes/catalog.js';
import type { Check } from '../checks/check.js';
import { REGISTRIES } from '../checks/registry.js';
import { checksOf } from '../checks/run.js';

export type CommandName = keyof typeof REGISTRIES;

export interface CheckView {
  check: Check;
  /** The commands whose report lists it. */
  commands: CommandName[];
}

export interface CauseView {
  entry: CauseEntry;
  reportedBy: CheckView[];
}

const COMMANDS = Object.keys(REGISTRIES) as CommandName[];

/** Every check once, in the order the commands list them. */
export function checkViews(): CheckView[] {
  const views = new Map<string, CheckView>();
  for (const command of COMMANDS) {
    for (const check of checksOf(REGISTRIES[command])) {
      const view = views.get(check.id) ?? { check, commands: [] };
      if (!view.commands.includes(command)) view.commands.push(command);
      views.set(check.id, view);
    }
  }
  return [...views.values()];
}

export function causeViews(): CauseView[] {
  const checks = checkViews();
  return CAUSE_CATALOG.map((entry) => ({ entry, reportedBy: checks.filter((v) => v.check.causes.includes(entry.id as CauseId)) }));
}

export const statusText = (entry: CauseEntry): string =>
  entry.status === 'by-severity' ? 'fail or warn, by severity' : entry.status === 'by-state' ? 'fail or warn, by state' : entry.status;

/** Each command's checks, in its report order. */
export const commandChecks = (): Array<{ command: CommandName; checks: Check[] }> =>
  COMMANDS.map((command) => ({ command, checks: checksOf(REGISTRIES[command]) }));
