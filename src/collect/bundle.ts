// The archive's files while they are being gathered. The only way in is through the Redactor:
// text, objects and log lines are redacted as they are added, so nothing unredacted is ever held
// for writing; controls are escaped like everything shown. A Kubernetes Secret object is refused
// outright. A file that cannot go in (an unsafe path) is refused alone and listed as a gap. Pure.
import { escapeControls, yamlText } from '../report/scrub.js';
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

/** A Secret object carries metadata or data; `{kind: Secret, name}` inside an Apigee object is only a reference. */
const isSecretObject = (o: Record<string, unknown>): boolean => o.kind === 'Secret' && ('data' in o || 'stringData' in o || 'metadata' in o);

/** Throws when a value holds a Kubernetes Secret object anywhere: its data must never be serialised. */
export function assertNoSecretObject(value: unknown, seen = new Set<unknown>()): void {
  if (!value || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (!Array.isArray(value) && isSecretObject(value as Record<string, unknown>)) {
    throw new Error('refusing to put a Secret object into the archive');
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) assertNoSecretObject(item, seen);
}

const withNewline = (text: string): string => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

/** What goes into a file: redacted, then controls escaped (a log may hold ESC or U+202E). */
const shown = (redactor: Redactor, text: string): string => escapeControls(redactor.text(text), true);

export class Bundle {
  private readonly files: Stored[] = [];
  /** Files refused (an unsafe path, a second file of one name): `path: why`, for the README's gaps. */
  readonly refused: string[] = [];

  constructor(readonly redactor: Redactor) {}

  private add(file: BundleFile, chunks: string[], first = false): Stored {
    const stored: Stored = {
      path: file.path,
      about: shown(this.redactor, file.about),
      commands: file.commands.map((c) => shown(this.redactor, c)),
      chunks,
    };
    const problem = tarPathProblem(file.path) ?? (this.files.some((f) => f.path === file.path) ? `archive file ${file.path} added twice` : null);
    if (problem) {
      // Written to, never kept: one odd name from the cluster must not take the whole bundle down.
      this.refused.push(`${escapeControls(this.redactor.text(file.path))}: not collected (${escapeControls(this.redactor.text(problem))})`);
      return stored;
    }
    if (first) this.files.unshift(stored);
    else this.files.push(stored);
    return stored;
  }

  /** Text of any number of lines. `first` puts it at the top of the archive (the README). */
  addText(path: string, text: string, about: string, commands: string[] = [], first = false): void {
    this.add({ path, about, commands }, [withNewline(shown(this.redactor, text))], first);
  }

  /** A JSON-like value as YAML: every string redacted before it is serialised, then the text again. */
  addYaml(path: string, value: unknown, about: string, commands: string[] = []): void {
    assertNoSecretObject(value);
    this.add({ path, about, commands }, [withNewline(this.redactor.text(yamlText(this.redactor.value(value))))]);
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
        for (const kept of lines.push(cut)) keep(escapeControls(kept));
      },
      note: (text) => {
        for (const kept of lines.end()) keep(escapeControls(kept));
        keep(`# [apigee-tls] ${escapeControls(this.redactor.text(text))}`);
      },
      end: () => {
        for (const kept of lines.end()) keep(escapeControls(kept));
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
