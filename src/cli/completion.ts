// `completion bash|zsh|fish`: the script for running kubectl-apigee_tls directly.
import type { Args } from './commands.js';
import { completionScript } from './complete.js';
import type { CommandIO } from './io.js';

export async function runCompletion(args: Args, io: CommandIO): Promise<number> {
  io.stdout(completionScript(args.shell === 'zsh' || args.shell === 'fish' ? args.shell : 'bash', 'kubectl-apigee_tls'));
  return 0;
}
