// Wrapping text for a terminal: greedy, at spaces, with a hanging indent for the lines after the
// first. Colour codes take no width and are never split; a word longer than the line is kept whole
// (a base64 run, a URL or a path must stay copyable). Pure: the renderer says what to wrap.

const ANSI = /\u001b\[[0-9;]*m/g;

export const visibleLength = (text: string): number => text.replace(ANSI, '').length;

/** `line` as lines of at most `width` columns where its spaces allow; continuation lines start with `indent` spaces. */
export function wrapLine(line: string, width: number, indent: number): string[] {
  if (visibleLength(line) <= width) return [line];
  const lead = /^ */.exec(line)![0];
  // Words and the runs of spaces between them, so that double spaces inside a line survive.
  const parts = line.slice(lead.length).split(/( +)/);
  const out: string[] = [];
  let current = lead;
  let currentHasWord = false;
  const pad = ' '.repeat(indent);
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i]!;
    const gap = i > 0 ? parts[i - 1]! : '';
    if (!currentHasWord) {
      current += word;
      currentHasWord = word.length > 0;
      continue;
    }
    if (visibleLength(current) + gap.length + visibleLength(word) <= width) {
      current += gap + word;
      continue;
    }
    out.push(current);
    current = pad + word;
  }
  out.push(current);
  return out;
}
