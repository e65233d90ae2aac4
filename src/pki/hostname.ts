// Is a hostname covered by the certificate's subjectAltName? RFC 6125 §6.4, as browsers and
// Envoy apply it: DNS names compare case-insensitively without a trailing dot; '*' only as the
// whole left-most label of a name with at least three labels, and it stands for exactly one
// label; IP hosts match only IP SANs; the subject CN is never used.
import { isIP } from 'node:net';
import type { SubjectAltNames } from './types.js';

function dnsForm(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** 16 bytes for an IPv6 address, 4 for IPv4, as hex; undefined when it is not an IP address. */
export function ipKey(address: string): string | undefined {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  a = a.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0) is local to the host, not in a SAN
  const kind = isIP(a);
  if (kind === 4)
    return a
      .split('.')
      .map((o) => Number(o).toString(16).padStart(2, '0'))
      .join('');
  if (kind !== 6) return undefined;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    // ::ffff:10.0.0.1: the dotted quad is the last two groups.
    const [o1, o2, o3, o4] = v4.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, v4.index)}${((o1 << 8) | o2).toString(16)}:${((o3 << 8) | o4).toString(16)}`;
  }
  const [head = '', rest] = a.split('::') as [string, string | undefined];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right];
  if (all.length !== 8) return undefined;
  return all.map((g) => g.toLowerCase().padStart(4, '0')).join('');
}

function wildcardCovers(pattern: string, host: string): boolean {
  const p = pattern.split('.');
  const h = host.split('.');
  // '*.example.com' yes; '*.com', 'f*.example.com', 'a.*.example.com' no.
  if (p[0] !== '*' || p.length < 3 || p.slice(1).some((l) => l.includes('*') || l === '')) return false;
  if (h.length !== p.length || h[0] === '') return false;
  return p.slice(1).join('.') === h.slice(1).join('.');
}

export function hostnameCovered(sans: SubjectAltNames, host: string): boolean {
  const hostIp = ipKey(host);
  if (hostIp !== undefined) return sans.ip.some((ip) => ipKey(ip) === hostIp);
  const name = dnsForm(host);
  if (name === '' || name.includes('*') || name.split('.').some((l) => l === '')) return false;
  return sans.dns.some((san) => {
    const pattern = dnsForm(san);
    if (pattern === '') return false;
    return pattern.includes('*') ? wildcardCovers(pattern, name) : pattern === name;
  });
}
