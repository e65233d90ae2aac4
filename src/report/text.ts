// The report for people. A single diagnosis lists every check, one line each; a list of them
// (diagnose --all, demo) gives each env group a headline, shows only what is wrong, and ends with a
// table of one line per env group. Evidence, the mirrored commands (prefixed `$`) and the fix follow
// a line that is not a pass; --verbose shows them for every line. Colour only when the caller says
// so (a TTY, no NO_COLOR); wrapping only when it gives a width (a TTY): off a terminal every line
// stays whole, for grep. Commands are never wrapped, so that they can be copied.
import type { Diagnosis, Finding, Report, Result, Status, Target } from './finding.js';
import { wrapLine } from './wrap.js';
import { escapeControls, mapStrings, removeKeyMaterial } from './scrub.js';

export interface TextOptions {
  color: boolean;
  /** Show evidence and commands of passing and skipped checks too. */
  verbose?: boolean;
  /** The terminal's width: wrap to it with hanging indents. Absent: no wrapping. */
  width?: number;
}

const MARK: Record<Status, string> = { pass: 'PASS ', fail: 'FAIL ', warn: 'WARN ', skip: 'SKIP ', error: 'ERROR' };
const COLOR: Record<Status, string> = { pass: '32', fail: '31', warn: '33', skip: '2', error: '35' };
const RESULT_TEXT: Record<Result, string> = { healthy: 'healthy', 'problems-found': 'problems found', incomplete: 'incomplete' };
const RESULT_COLOR: Record<Result, string> = { healthy: '32', 'problems-found': '31', incomplete: '35' };
/** The check column: wide enough for most ids (a longer one pushes its summary right). */
const CHECK_WIDTH = 14;
/** Where a headline's summary starts: the mark, two spaces, the check column, a space. */
const SUMMARY_AT = 5 + 2 + CHECK_WIDTH + 1;
/** Evidence, commands and the fix sit under the check name. */
const DETAIL_AT = 7;
const INDENT = ' '.repeat(DETAIL_AT);

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** A line of the report and the indent of its continuation lines when wrapped (null: never wrapped). */
interface Line {
  text: string;
  hang: number | null;
}

const line = (text: string, hang: number | null = 0): Line => ({ text, hang });

function layout(lines: readonly Line[], width: number | undefined): string {
  const out = width ? lines.flatMap((l) => (l.hang === null ? [l.text] : wrapLine(l.text, width, l.hang))) : lines.map((l) => l.text);
  return `${out.join('\n')}\n`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function title(target: Target): string {
  if (target.envgroup) return `Env group ${target.envgroup}`;
  if (target.host) return `Host ${target.host}${target.port ? `:${target.port}` : ''}`;
  if (target.curlLog) return `curl transcript ${target.curlLog === '-' ? 'from stdin' : target.curlLog}`;
  // A context that could not be diagnosed at all (diagnose over many contexts).
  if (target.context && !target.certFile) return `Context ${target.context}`;
  return `Certificate ${target.certFile ?? ''}`.trim();
}

const TARGET_LABELS: Array<[keyof Target, string]> = [
  ['org', 'org'],
  ['namespace', 'namespace'],
  ['secret', 'secret'],
  ['context', 'context'],
  ['overrides', 'overrides'],
  ['keyFile', 'key'],
  ['caFile', 'ca'],
  ['sni', 'sni'],
];

function targetLine(target: Target): string | null {
  const parts = TARGET_LABELS.filter(([k]) => target[k] !== undefined && target[k] !== null).map(([k, label]) => `${label} ${String(target[k])}`);
  if (target.envgroup && target.certFile) parts.push(`cert ${target.certFile}`);
  return parts.length ? parts.join(', ') : null;
}

function detailLines(f: Finding, color: boolean): Line[] {
  const lines = f.evidence.map((e) => line(`${INDENT}${e}`, DETAIL_AT + 2));
  for (const c of f.commands) lines.push(line(`${INDENT}${paint(color, '2', `$ ${c}`)}`, null));
  if (f.remediation) {
    const [first, ...rest] = f.remediation.split('\n');
    lines.push(line(`${INDENT}${paint(color, '1', 'fix:')} ${first}`, DETAIL_AT + 5));
    for (const r of rest) if (r.length > 0) lines.push(line(`${INDENT}  ${r}`, DETAIL_AT + 4));
  }
  return lines;
}

function findingLines(f: Finding, options: TextOptions): Line[] {
  const cause = f.cause ? paint(options.color, '2', `  [${f.cause}]`) : '';
  const head = line(`${paint(options.color, COLOR[f.status], MARK[f.status])}  ${f.check.padEnd(CHECK_WIDTH)} ${f.summary}${cause}`, SUMMARY_AT);
  const detailed = options.verbose || f.status === 'fail' || f.status === 'warn' || f.status === 'error';
  return detailed ? [head, ...detailLines(f, options.color)] : [head];
}

function tally(d: Diagnosis): string {
  const count = (s: Status) => d.findings.filter((f) => f.status === s).length;
  return `${count('fail')} failed, ${plural(count('warn'), 'warning')}, ${plural(count('error'), 'error')}, ${count('pass')} passed, ${count('skip')} skipped`;
}

function header(d: Diagnosis, options: TextOptions): Line[] {
  const sub = targetLine(d.target);
  return [line(paint(options.color, '1', title(d.target)), 2), ...(sub ? [line(`  ${sub}`, 4)] : [])];
}

const resultText = (result: Result, color: boolean): string => paint(color, RESULT_COLOR[result], RESULT_TEXT[result]);

function renderDiagnosis(d: Diagnosis, options: TextOptions): string {
  const lines = [...header(d, options), line('')];
  for (const f of d.findings) lines.push(...findingLines(f, options));
  lines.push(line(''), line(`Result: ${resultText(d.result, options.color)} (${tally(d)})`, 8));
  return layout(lines, options.width);
}

/** In a list (without -v), a check that passed or was skipped shows only in its env group's count. */
const shownInList = (f: Finding): boolean => f.status !== 'pass' && f.status !== 'skip';

/** One env group of a list: its headline, then only the checks that did not pass. */
function listItemLines(d: Diagnosis, options: TextOptions): Line[] {
  const [head, ...sub] = header(d, options);
  const lines = [line(`${head!.text}: ${resultText(d.result, options.color)} (${tally(d)})`, 2), ...sub];
  const shown = options.verbose ? d.findings : d.findings.filter(shownInList);
  if (shown.length) lines.push(line(''));
  for (const f of shown) lines.push(...findingLines(f, options));
  return lines;
}

/** The closing table of a list: one line per env group, its result and the causes found. */
function summaryTable(items: readonly Diagnosis[], color: boolean): Line[] {
  const name = (d: Diagnosis) => d.target.envgroup ?? d.target.host ?? d.target.certFile ?? '';
  const causes = (d: Diagnosis) =>
    [
      ...new Set(
        d.findings.flatMap((f) => (f.cause && (f.status === 'fail' || f.status === 'warn') ? [f.cause] : f.status === 'error' ? [`${f.check} (error)`] : [])),
      ),
    ].join(', ');
  const nameWidth = Math.max('ENV GROUP'.length, ...items.map((d) => name(d).length));
  const resultWidth = Math.max(...Object.values(RESULT_TEXT).map((r) => r.length));
  const row = (a: string, b: string, bPainted: string, c: string) => `${a.padEnd(nameWidth)}  ${bPainted}${' '.repeat(resultWidth - b.length)}  ${c}`.trimEnd();
  return [
    line(paint(color, '1', row('ENV GROUP', 'RESULT', 'RESULT', 'CAUSES')), null),
    ...items.map((d) => line(row(name(d), RESULT_TEXT[d.result], resultText(d.result, color), causes(d) || '-'), nameWidth + resultWidth + 4)),
  ];
}

/** Every string as a terminal may show it: keys removed, controls escaped (the fix text keeps its own line breaks). */
// A tab (Envoy's and istiod's field separator) is shown as a space: it steers nothing, and as a
// space the wrapper can break there; every other control is escaped.
const shownOnTerminal = <T>(value: T): T =>
  mapStrings(value, (text, key) => escapeControls(removeKeyMaterial(text).replace(/\t/g, ' '), key === 'remediation'));

/** What of a list is shown: the rest of a finding that only counts is left out before scrubbing (hundreds of env groups). */
function shownParts(report: Report, verbose: boolean): Report {
  if (report.kind !== 'DiagnosisList' || verbose) return report;
  const countOnly = (f: Finding): Finding => ({ check: f.check, status: f.status, cause: f.cause, summary: '', evidence: [], commands: [] });
  return { ...report, items: report.items.map((d) => ({ ...d, findings: d.findings.map((f) => (shownInList(f) ? f : countOnly(f))) })) };
}

export function renderText(untrusted: Report, options: TextOptions): string {
  const report = shownOnTerminal(shownParts(untrusted, options.verbose === true));
  if (report.kind === 'Diagnosis') return renderDiagnosis(report, options);
  const count = (r: Result) => report.items.filter((d) => d.result === r).length;
  const summary = `${plural(report.items.length, 'env group')}: ${count('healthy')} healthy, ${count('problems-found')} with problems, ${count('incomplete')} incomplete`;
  const lines: Line[] = [];
  for (const d of report.items) lines.push(...listItemLines(d, options), line(''));
  lines.push(...summaryTable(report.items, options.color), line(''), line(paint(options.color, '1', summary), 2));
  return layout(lines, options.width);
}
