// The report for people. A single diagnosis lists every check, one line each; a list of them
// (diagnose --all, demo) gives each env group a headline and shows only what is wrong. Evidence,
// the mirrored commands (prefixed `$`) and the fix follow a line that is not a pass; --verbose
// shows them for every line. Colour only when the caller says so (a TTY, no NO_COLOR).
import type { Diagnosis, Finding, Report, Status, Target } from './finding.js';
import { escapeControls, mapStrings, removeKeyMaterial } from './scrub.js';

export interface TextOptions {
  color: boolean;
  /** Show evidence and commands of passing and skipped checks too. */
  verbose?: boolean;
}

const MARK: Record<Status, string> = { pass: 'PASS ', fail: 'FAIL ', warn: 'WARN ', skip: 'SKIP ', error: 'ERROR' };
const COLOR: Record<Status, string> = { pass: '32', fail: '31', warn: '33', skip: '2', error: '35' };
const RESULT_TEXT = { healthy: 'healthy', 'problems-found': 'problems found', incomplete: 'incomplete' } as const;
const RESULT_COLOR = { healthy: '32', 'problems-found': '31', incomplete: '35' } as const;
const INDENT = ' '.repeat(29);

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

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

function detailLines(f: Finding, color: boolean): string[] {
  const lines = f.evidence.map((e) => `${INDENT}${e}`);
  for (const c of f.commands) lines.push(`${INDENT}${paint(color, '2', `$ ${c}`)}`);
  if (f.remediation) {
    const [first, ...rest] = f.remediation.split('\n');
    lines.push(`${INDENT}${paint(color, '1', 'fix:')} ${first}`);
    for (const r of rest) if (r.length > 0) lines.push(`${INDENT}  ${r}`);
  }
  return lines;
}

function findingLines(f: Finding, options: TextOptions): string[] {
  const cause = f.cause ? paint(options.color, '2', `  [${f.cause}]`) : '';
  const head = `${paint(options.color, COLOR[f.status], MARK[f.status])}  ${f.check.padEnd(20)} ${f.summary}${cause}`;
  const detailed = options.verbose || f.status === 'fail' || f.status === 'warn' || f.status === 'error';
  return detailed ? [head, ...detailLines(f, options.color)] : [head];
}

function tally(d: Diagnosis): string {
  const count = (s: Status) => d.findings.filter((f) => f.status === s).length;
  return `${count('fail')} failed, ${count('warn')} warnings, ${count('error')} errors, ${count('pass')} passed, ${count('skip')} skipped`;
}

function header(d: Diagnosis, options: TextOptions): string[] {
  const sub = targetLine(d.target);
  return [paint(options.color, '1', title(d.target)), ...(sub ? [`  ${sub}`] : [])];
}

const resultText = (d: Diagnosis, color: boolean): string => paint(color, RESULT_COLOR[d.result], RESULT_TEXT[d.result]);

function renderDiagnosis(d: Diagnosis, options: TextOptions): string {
  const lines = [...header(d, options), ''];
  for (const f of d.findings) lines.push(...findingLines(f, options));
  lines.push('', `Result: ${resultText(d, options.color)} (${tally(d)})`);
  return `${lines.join('\n')}\n`;
}

/** One env group of a list: its headline, then only the checks that did not pass. */
function renderListItem(d: Diagnosis, options: TextOptions): string {
  const lines = [`${header(d, options)[0]}: ${resultText(d, options.color)} (${tally(d)})`, ...header(d, options).slice(1)];
  const shown = options.verbose ? d.findings : d.findings.filter((f) => f.status !== 'pass' && f.status !== 'skip');
  if (shown.length) lines.push('');
  for (const f of shown) lines.push(...findingLines(f, options));
  return `${lines.join('\n')}\n`;
}

/** Every string as a terminal may show it: keys removed, controls escaped (the fix text keeps its own line breaks). */
const shownOnTerminal = <T>(value: T): T => mapStrings(value, (text, key) => escapeControls(removeKeyMaterial(text), key === 'remediation'));

export function renderText(untrusted: Report, options: TextOptions): string {
  const report = shownOnTerminal(untrusted);
  if (report.kind === 'Diagnosis') return renderDiagnosis(report, options);
  const count = (r: Diagnosis['result']) => report.items.filter((d) => d.result === r).length;
  const summary = `${report.items.length} env groups: ${count('healthy')} healthy, ${count('problems-found')} with problems, ${count('incomplete')} incomplete`;
  return `${report.items.map((d) => renderListItem(d, options)).join('\n')}\n${paint(options.color, '1', summary)}\n`;
}
