// Renders a report in the chosen format and returns the contract's exit code for it.
import type { Report } from '../report/finding.js';
import { renderJson } from '../report/json.js';
import { exitCodeUnder, withIgnored } from '../report/policy.js';
import { renderText } from '../report/text.js';
import { renderYaml } from '../report/yaml.js';
import type { OutputRequest } from './common.js';

export function renderReport(report: Report, output: Pick<OutputRequest, 'format' | 'color' | 'verbose' | 'width'>): string {
  if (output.format === 'json') return renderJson(report);
  if (output.format === 'yaml') return renderYaml(report);
  return renderText(report, { color: output.color, verbose: output.verbose, ...(output.width ? { width: output.width } : {}) });
}

export function emit(report: Report, output: OutputRequest, write: (text: string) => void): number {
  const judged = withIgnored(report, output.ignore);
  write(renderReport(judged, output));
  return exitCodeUnder(judged, output.failOn);
}
