// Reads X509Certificate.subjectAltName ("DNS:a.example.com, IP Address:10.0.0.1") into lists.
// Since the CVE-2021-44532 fix Node quotes a value that holds a separator or quote as a JSON
// string (DNS:"a, b"), so values are read one by one, never split blindly on ", ".
import type { SubjectAltNames } from './types.js';

export function parseSubjectAltName(text: string | undefined): SubjectAltNames {
  const sans: SubjectAltNames = { dns: [], ip: [] };
  if (!text) return sans;
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon === -1) break;
    const kind = text.slice(i, colon).trim();
    let value: string;
    let end: number;
    if (text.charAt(colon + 1) === '"') {
      let j = colon + 2;
      while (j < text.length && text.charAt(j) !== '"') j += text.charAt(j) === '\\' ? 2 : 1;
      end = Math.min(j + 1, text.length);
      value = decodeQuoted(text.slice(colon + 1, end));
    } else {
      const sep = text.indexOf(', ', colon + 1);
      end = sep === -1 ? text.length : sep;
      value = text.slice(colon + 1, end);
    }
    if (kind === 'DNS') sans.dns.push(value);
    else if (kind === 'IP Address') sans.ip.push(value);
    const sep = text.indexOf(', ', end);
    if (sep === -1) break;
    i = sep + 2;
  }
  return sans;
}

function decodeQuoted(quoted: string): string {
  try {
    const v: unknown = JSON.parse(quoted);
    return typeof v === 'string' ? v : quoted;
  } catch {
    return quoted.replace(/^"|"$/g, '');
  }
}
