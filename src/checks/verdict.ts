// Small helpers shared by checks: a cause's status as the catalog fixes it.
import { causeEntry, type CauseId } from '../causes/catalog.js';

/** The status a cause always carries; by-severity and by-state causes are decided by their check. */
export function causeStatus(id: CauseId): 'fail' | 'warn' {
  const rule = causeEntry(id).status;
  if (rule !== 'fail' && rule !== 'warn') throw new Error(`${id} is decided ${rule}: its check sets the status`);
  return rule;
}
