// Renders a report in the chosen format and returns the contract's exit code for it.
import type { Report } from '../report/finding.js';
import { renderJson } from '../report/json.js';
import { exitCodeUnder, withIgnored } from '../report/policy.js';
import { renderText } from '../report/text.js';
import { renderYaml } from '../report/yaml.js';
import { powershellNote } from '../report/powershell-note.js';
import type { OutputRequest } from './common.js';

export function renderReport(report: Report, output: Pick<OutputRequest, 'format' | 'color' | 'verbose' | 'width'>): string {
  if (output.format === 'json') return renderJson(report);
  if (output.format === 'yaml') return renderYaml(report);
  return renderText(report, { color: output.color, verbose: output.verbose, ...(output.width ? { width: output.width } : {}) });
}

const commandsOf = (report: Report): string[] => (report.kind === 'Diagnosis' ? [report] : report.items).flatMap((d) => d.findings.flatMap((f) => f.commands));

export function emit(report: Report, output: OutputRequest, write: (text: string) => void, platform: NodeJS.Platform = process.platform): number {
  const judged = withIgnored(report, output.ignore);
  write(renderReport(judged, output));
  // Text for people on Windows: say once which shell the commands are for (JSON keeps them as they are).
  const note = output.format === 'text' && platform === 'win32' ? powershellNote(commandsOf(judged)) : null;
  if (note) write(`\n${note}`);
  return exitCodeUnder(judged, output.failOn);
}
