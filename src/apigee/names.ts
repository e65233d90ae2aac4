// Names are checked before anything runs: they end up in kubectl arguments and in the report.
// Kubernetes' own rules (DNS-1123) are strict enough that nothing hostile fits through.
import { isIP } from 'node:net';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export type NameKind = 'env group' | 'org' | 'namespace' | 'secret';

/** null when valid, else why not (one sentence). */
/**
 * How a rejected value is quoted back. A value that could be anything (a pasted key, a token) is
 * described, not echoed: short, single-line text without long base64 runs is shown as typed.
 */
export function shownValue(value: string): string {
  const safe = /^[\x20-\x7e]{1,64}$/.test(value) && !/[A-Za-z0-9+/=]{20,}/.test(value) && !value.includes('-----');
  return safe ? JSON.stringify(value) : `(a ${value.length}-character value, not shown)`;
}

/**
 * How a path the user typed is quoted back: as typed when it reads like a path (printable, no
 * PEM line, no random-looking base64 run), described otherwise (`--key "$(cat tls.key)"`).
 */
export function shownPath(path: string): string {
  const randomRun = (path.match(/[A-Za-z0-9+/=]{24,}/g) ?? []).some((r) => /[0-9]/.test(r) && /[A-Z]/.test(r) && /[a-z]/.test(r));
  const safe = /^[\x20-\x7e]{1,1024}$/.test(path) && !path.includes('-----') && !randomRun;
  return safe ? path : `(a ${path.length}-character value, not shown)`;
}

export function nameProblem(kind: NameKind, name: string): string | null {
  const shown = shownValue(name);
  if (kind === 'secret') {
    if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      return `invalid ${kind} name ${shown}: must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)`;
    }
    return null;
  }
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    return `invalid ${kind} name ${shown}: must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`;
  }
  return null;
}

/**
 * A pod or container name read from the API server, checked like user input before it becomes a
 * kubectl argument or an archive path: a hostile or broken server could send `--cache-dir` or
 * `../x`. Pods are DNS-1123 subdomains, containers DNS-1123 labels; null when valid.
 */
export function apiNameProblem(kind: 'pod' | 'container', name: string): string | null {
  const valid = kind === 'pod' ? name.length <= 253 && DNS1123_SUBDOMAIN.test(name) : name.length <= 63 && DNS1123_LABEL.test(name);
  return valid ? null : `the API server sent an invalid ${kind} name ${shownValue(name)}: skipped`;
}

/** A hostname to check against SANs: letters, digits, '-', '.', and a leading '*.' wildcard. */
export function hostnameProblem(host: string): string | null {
  if (isIP(host) !== 0) return null;
  if (host.length > 253 || !/^(\*\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\.?$/.test(host)) {
    return `invalid hostname ${shownValue(host)}`;
  }
  return null;
}
