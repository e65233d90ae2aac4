// CONTRACT "Added later": with -o json|yaml, stdout carries one document on every run that got past
// flag parsing, also when the run could not start: result incomplete, one error finding saying why.
import type { Finding, Target } from '../report/finding.js';
import { renderJson } from '../report/json.js';
import { diagnosis, diagnosisList, supportBundle } from '../report/result.js';
import { renderYaml } from '../report/yaml.js';
import type { ParsedCommand } from './commands.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function targetOf({ command, args }: ParsedCommand): Target {
  const target: Target = {};
  const set = <K extends keyof Target>(key: K, value: Target[K] | undefined) => {
    if (value !== undefined) target[key] = value;
  };
  if (command === 'check') {
    set('certFile', text(args.cert));
    set('keyFile', text(args.key));
    set('caFile', text(args.ca));
    set('overrides', text(args.overrides));
    set('envgroup', text(args.envgroup));
    return target;
  }
  if (command === 'probe') {
    set('host', text(args.target));
    set('curlLog', text(args['from-curl-log']));
  }
  if (command !== 'probe') set('envgroup', text(args.envgroup));
  set('org', text(args.org));
  set('namespace', text(args.namespace));
  set('context', text(args.context));
  return target;
}

/** The document for a run that ended with `message`, or null when no document was asked for. */
export function failureDocument(parsed: ParsedCommand, message: string, hint: string | undefined, check = 'run'): string | null {
  const format = parsed.args.output;
  if ((format !== 'json' && format !== 'yaml') || parsed.command === 'version' || parsed.command === 'completion') return null;
  // A kubectl failure comes as its line, then "(while running: …)": the first is the summary.
  const [summary, ...more] = message.split('\n');
  const finding: Finding = { check, status: 'error', cause: null, summary: summary!, evidence: more.map((l) => l.trim()).filter(Boolean), commands: [] };
  if (hint) finding.remediation = hint;
  const target = targetOf(parsed);
  const one = diagnosis(target, [finding]);
  const all = parsed.command === 'demo' || (parsed.command === 'diagnose' && parsed.args.all === true);
  const document = parsed.command === 'collect' ? supportBundle(target, one, null, []) : all ? diagnosisList([one]) : one;
  return format === 'json' ? renderJson(document) : renderYaml(document);
}
