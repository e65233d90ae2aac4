// `explain [CAUSE]`: the cause catalog, offline. An unknown name is a usage error with the closest one.
import { UsageError } from '../errors.js';
import { explain, explainIndex } from '../explain/text.js';
import type { Args } from './commands.js';
import type { CommandIO } from './io.js';

export async function runExplain(args: Args, io: CommandIO): Promise<number> {
  const name = typeof args.cause === 'string' ? args.cause : undefined;
  if (name === undefined) {
    io.stdout(explainIndex(io.program));
    return 0;
  }
  const explained = explain(name, io.program);
  if (!explained.ok) throw new UsageError(explained.message);
  io.stdout(explained.text);
  return 0;
}
