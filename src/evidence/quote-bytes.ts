// Bytes from the network, for a report: printable, escaped, cut (they may be anything).

/** The first bytes of something that is not TLS, for a report: printable, escaped, cut. */
export function quoteBytes(bytes: Buffer, max = 40): string {
  const shown = [...bytes.subarray(0, max)]
    .map((b) => {
      if (b === 0x0d) return '\\r';
      if (b === 0x0a) return '\\n';
      if (b === 0x22 || b === 0x5c) return `\\${String.fromCharCode(b)}`;
      if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
      return `\\x${b.toString(16).padStart(2, '0')}`;
    })
    .join('');
  return `"${shown}"${bytes.length > max ? '…' : ''}`;
}
