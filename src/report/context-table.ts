// The text report of `diagnose --context a,b,c`: one section per context (the list report of its
// env groups), then a table of env group × context, each cell the result and the causes found,
// so the region where one env group breaks stands out.
import type { Diagnosis, DiagnosisList, Result } from './finding.js';
import { diagnosisList } from './result.js';
import { renderText, type TextOptions } from './text.js';

const RESULT_TEXT: Record<Result, string> = { healthy: 'healthy', 'problems-found': 'problems found', incomplete: 'incomplete' };
const NOT_THERE = '-';

const contextOf = (d: Diagnosis): string => d.target.context ?? '(current)';

/** The contexts in the order their items come (the order they were given). */
function contextsOf(items: readonly Diagnosis[]): string[] {
  return [...new Set(items.map(contextOf))];
}

/** "problems found: key-mismatch, certificate-expiring-soon"; "healthy"; "incomplete". */
export function cellText(d: Diagnosis): string {
  const causes = [...new Set(d.findings.filter((f) => (f.status === 'fail' || f.status === 'warn') && f.cause).map((f) => f.cause!))];
  return causes.length ? `${RESULT_TEXT[d.result]}: ${causes.join(', ')}` : RESULT_TEXT[d.result];
}

/** Rows of env groups, columns of contexts; a context that could not be diagnosed is incomplete in every row. */
export function contextTableRows(items: readonly Diagnosis[]): string[][] {
  const contexts = contextsOf(items);
  const envgroups = [...new Set(items.flatMap((d) => (d.target.envgroup ? [d.target.envgroup] : [])))].sort();
  const cell = (envgroup: string | undefined, context: string): string => {
    const mine = items.filter((d) => contextOf(d) === context);
    const hit = mine.find((d) => d.target.envgroup === envgroup) ?? mine.find((d) => !d.target.envgroup);
    return hit ? cellText(hit) : NOT_THERE;
  };
  const header = ['ENV GROUP', ...contexts];
  const rows = envgroups.length ? envgroups.map((e) => [e, ...contexts.map((c) => cell(e, c))]) : [[NOT_THERE, ...contexts.map((c) => cell(undefined, c))]];
  return [header, ...rows];
}

/** kubectl's table layout: columns padded to their widest cell, three spaces apart. */
export function renderTable(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')).join('\n') + '\n';
}

export function renderContextsText(list: DiagnosisList, options: TextOptions): string {
  const sections = contextsOf(list.items).map((context) => {
    const items = list.items.filter((d) => contextOf(d) === context);
    return `== Context ${context} ==\n\n${renderText(diagnosisList(items), options)}`;
  });
  return `${sections.join('\n')}\n${renderTable(contextTableRows(list.items))}`;
}
