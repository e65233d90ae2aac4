// Usage text names the command as the user runs it. kubectl (and krew's symlink) start us as
// kubectl-apigee_tls, so argv0, not execPath (which resolves symlinks), tells.
import { basename } from 'node:path';

export function programName(argv0: string): string {
  const base = basename(argv0).replace(/\.exe$/i, '');
  if (/^kubectl[-_]apigee[-_]tls$/i.test(base) || /^node(js)?(\d+)?$/i.test(base) || base === '') return 'kubectl apigee-tls';
  return base;
}
