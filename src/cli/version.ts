// `version`: what is running and which tools it found, for bug reports.
import { newExecContext } from '../exec/context.js';
import { opensslVersion } from '../exec/openssl.js';
import { kubectlClientVersion } from '../exec/kubectl.js';
import { jsonText, scrubShown, yamlText } from '../report/scrub.js';
import type { Args } from './commands.js';
import { stringFlag } from './common.js';
import { runSignal, type CommandIO } from './io.js';

declare const __VERSION__: string;
declare const __COMMIT__: string;

export async function runVersion(args: Args, io: CommandIO): Promise<number> {
  const exec = newExecContext({
    kubectl: stringFlag(args, 'kubectl'),
    openssl: stringFlag(args, 'openssl'),
    signal: runSignal(io, 15_000),
  });
  const [kubectl, openssl] = await Promise.all([kubectlClientVersion(exec), opensslVersion(exec)]);
  const info = {
    version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev',
    commit: typeof __COMMIT__ === 'string' ? __COMMIT__ : 'unknown',
    node: process.version,
    kubectl: kubectl ?? 'not found',
    openssl: openssl ?? 'not found',
  };
  const format = String(args.output);
  // What the tools printed is theirs, not ours: shown through the scrubber like a report.
  if (format === 'json') io.stdout(jsonText(info));
  else if (format === 'yaml') io.stdout(yamlText(info));
  else io.stdout(scrubShown(`${io.program} ${info.version} (commit ${info.commit}, Node ${info.node})\nkubectl: ${info.kubectl}\nopenssl: ${info.openssl}\n`));
  return 0;
}
