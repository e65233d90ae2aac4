// `explain`: a cause's catalog entry, a check's declaration, or the index of both. Offline.
import { shownValue } from '../apigee/names.js';
import { causeViews, checkViews, commandChecks, statusText, type CauseView, type CheckView } from './catalog-view.js';
import { closest } from './closest.js';

const INDENT = '  ';

function causeText(v: CauseView, program: string): string {
  const e = v.entry;
  const reporters = v.reportedBy.length
    ? v.reportedBy.map((r) => `${r.check.id} (${r.commands.join(', ')})`).join('; ')
    : 'no check yet: the contract reserves this id';
  const lines = [
    `${e.id} (${statusText(e)})`,
    `${INDENT}${e.title}`,
    '',
    `Reported by: ${reporters}`,
    `How it is decided: ${e.decided}`,
    'Commands to see it by hand:',
    ...e.commands.map((c) => `${INDENT}$ ${c}`),
    `Fix: ${e.fix}`,
    ...(e.link ? [`More: ${e.link}`] : []),
    '',
    `Every cause and check: ${program} explain`,
  ];
  return `${lines.join('\n')}\n`;
}

function checkText(v: CheckView, program: string): string {
  const c = v.check;
  const lines = [
    `${c.id} (a check of ${v.commands.join(', ')})`,
    `${INDENT}${c.description}`,
    '',
    `Causes it may report: ${c.causes.length ? c.causes.join(', ') : 'none (it says whether its evidence could be read)'}`,
    `Evidence it needs: ${c.needs.join(', ')}`,
    ...(c.after ? [`Runs after: ${c.after.check} passed`] : []),
    '',
    `A cause in detail: ${program} explain CAUSE`,
  ];
  return `${lines.join('\n')}\n`;
}

export function explainIndex(program: string): string {
  const causes = causeViews();
  const width = Math.max(...causes.map((c) => c.entry.id.length));
  const lines = ['Causes (a finding with status fail or warn names one):'];
  for (const { entry } of causes) {
    const mark = entry.status === 'fail' ? '' : `(${statusText(entry)}) `;
    lines.push(`${INDENT}${entry.id.padEnd(width)}  ${mark}${entry.title}`);
  }
  const checks = checkViews();
  const checkWidth = Math.max(...checks.map((c) => c.check.id.length));
  lines.push('', 'Checks (in report order, by command):');
  for (const { command, checks: list } of commandChecks()) {
    lines.push(`${INDENT}${command}:`);
    for (const check of list) lines.push(`${INDENT}${INDENT}${check.id.padEnd(checkWidth)}  ${check.description}`);
  }
  lines.push('', `One in detail: ${program} explain CAUSE (or a check's id)`);
  return `${lines.join('\n')}\n`;
}

export type Explained = { ok: true; text: string } | { ok: false; message: string };

export function explain(name: string, program: string): Explained {
  const cause = causeViews().find((c) => c.entry.id === name);
  if (cause) return { ok: true, text: causeText(cause, program) };
  const check = checkViews().find((c) => c.check.id === name);
  if (check) return { ok: true, text: checkText(check, program) };
  const known = [...causeViews().map((c) => c.entry.id), ...checkViews().map((c) => c.check.id)];
  const guess = closest(name, known);
  return { ok: false, message: `unknown cause or check ${shownValue(name)}${guess ? `; did you mean ${guess}?` : ''} (${program} explain lists them)` };
}
