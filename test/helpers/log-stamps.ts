// The bundle's logs come from the diagnosis's own streams, read with `kubectl logs --timestamps`:
// every non-empty line starts with the kubelet's RFC 3339 stamp. Tests compare what follows it.

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

/** A log file's lines without their stamp; a non-empty line without one is marked, so a test sees it. */
export const logLines = (text: string): string[] =>
  text.split('\n').map((l) => {
    if (l === '') return l;
    const m = STAMP.exec(l);
    return m ? l.slice(m[0].length) : `(no timestamp) ${l}`;
  });
