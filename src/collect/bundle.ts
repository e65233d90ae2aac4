// The archive's files while they are being gathered. The only way in is through the Redactor:
// text, objects and log lines are redacted as they are added, so nothing unredacted is ever held
// for writing. A Kubernetes Secret object is refused outright. Pure (no I/O).
import { stringify } from 'yaml';
import type { Redactor } from './redact.js';
import { tarPathProblem, type TarEntry } from './tar.js';

export interface BundleFile {
  /** Path inside the archive's folder. */
  path: string;
  /** One line: what the file holds. */
  about: string;
  /** The commands that collected it, as a person would rerun them (redacted like the file). */
  commands: string[];
}

/** Where one container's log goes, line by line. */
export interface LogSink {
  line(text: string): void;
  /** A line of our own (a failure, a truncation), marked as such. */
  note(text: string): void;
  /** The stream ended: a line held back at a key block's edge is released. */
  end(): void;
  readonly lines: number;
}

interface Stored extends BundleFile {
  chunks: string[];
}

/** A log line of megabytes is cut here before it is redacted. */
export const LINE_LIMIT = 64 * 1024;
/** One log file stops growing here. */
export const LOG_FILE_LIMIT = 32 * 1024 * 1024;

/** Throws when a value holds a Kubernetes Secret object anywhere: its data must never be serialised. */
export function assertNoSecretObject(value: unknown, seen = new Set<unknown>()): void {
  if (!value || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (!Array.isArray(value) && (value as { kind?: unknown }).kind === 'Secret') {
    throw new Error('refusing to put a Secret object into the archive');
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) assertNoSecretObject(item, seen);
}

const withNewline = (text: string): string => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

export class Bundle {
  private readonly files: Stored[] = [];

  constructor(readonly redactor: Redactor) {}

  private add(file: BundleFile, chunks: string[], first = false): Stored {
    const problem = tarPathProblem(file.path);
    if (problem) throw new Error(problem);
    if (this.files.some((f) => f.path === file.path)) throw new Error(`archive file ${file.path} added twice`);
    const stored: Stored = { path: file.path, about: this.redactor.text(file.about), commands: file.commands.map((c) => this.redactor.text(c)), chunks };
    if (first) this.files.unshift(stored);
    else this.files.push(stored);
    return stored;
  }

  /** Text of any number of lines. `first` puts it at the top of the archive (the README). */
  addText(path: string, text: string, about: string, commands: string[] = [], first = false): void {
    this.add({ path, about, commands }, [withNewline(this.redactor.text(text))], first);
  }

  /** A JSON-like value as YAML: every string redacted before it is serialised, then the text again. */
  addYaml(path: string, value: unknown, about: string, commands: string[] = []): void {
    assertNoSecretObject(value);
    this.addText(path, stringify(this.redactor.value(value), { lineWidth: 0 }), about, commands);
  }

  /** A log, added line by line as it streams; each line is redacted before it is kept. */
  log(path: string, about: string, commands: string[] = []): LogSink {
    const lines = this.redactor.lines();
    const stored = this.add({ path, about, commands }, []);
    let bytes = 0;
    let count = 0;
    let full = false;
    const keep = (text: string) => {
      if (full) return;
      if (bytes + text.length + 1 > LOG_FILE_LIMIT) {
        full = true;
        stored.chunks.push(`# [apigee-tls] log cut here: this file reached ${LOG_FILE_LIMIT / (1024 * 1024)} MiB\n`);
        return;
      }
      bytes += text.length + 1;
      stored.chunks.push(`${text}\n`);
    };
    return {
      line: (text) => {
        count += 1;
        const cut = text.length > LINE_LIMIT ? `${text.slice(0, LINE_LIMIT)} [apigee-tls: line cut at ${LINE_LIMIT} characters]` : text;
        for (const kept of lines.push(cut)) keep(kept);
      },
      note: (text) => {
        for (const kept of lines.end()) keep(kept);
        keep(`# [apigee-tls] ${this.redactor.text(text)}`);
      },
      end: () => {
        for (const kept of lines.end()) keep(kept);
      },
      get lines() {
        return count;
      },
    };
  }

  list(): BundleFile[] {
    return this.files.map(({ path, about, commands }) => ({ path, about, commands: [...commands] }));
  }

  /** The files as tar entries under `root/`. */
  entries(root: string): TarEntry[] {
    return this.files.map((f) => ({ path: `${root}/${f.path}`, content: Buffer.from(f.chunks.join(''), 'utf8') }));
  }
}
