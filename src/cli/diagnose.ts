// `diagnose <envgroup>` and `diagnose --all`: the playbook against the current cluster. The first
// wave of kubectl calls starts before the pipeline, the checks and the renderers are imported, so
// they load while kubectl runs (test/first-spawn.test.ts holds this file's imports to that).
import type { Overrides } from '../apigee/overrides.js';
import { hostnameProblem } from '../apigee/names.js';
import { UsageError } from '../errors.js';
import { readOverrides } from '../gather/local-files.js';
import type { DiagnoseRequest } from '../pipeline/diagnose.js';
import { startDiagnoseWave } from '../pipeline/wave.js';
import { allStarted } from '../exec/context.js';
import { newSlots } from '../exec/slots.js';
import { diagnosisList, exitCodeOf } from '../report/result.js';
import type { Args } from './commands.js';
import { checkKubeconfigFirst, checkName, kubectlTarget } from './cluster-request.js';
import { contextsFlag, withoutContext } from './contexts-flag.js';
import { durationFlag, outputRequest, stringFlag, stringsFlag, type OutputRequest } from './common.js';
import { formatSeconds } from './duration.js';
import { commandExec, type CommandIO } from './io.js';

/**
 * The request of one diagnose run. With one context the kubeconfig and context are checked first
 * (one clear message); with many, each context's trouble is its own incomplete item instead.
 */
export async function diagnoseRequest(args: Args, io: CommandIO, checkKubeconfig = true): Promise<DiagnoseRequest> {
  const all = args.all === true;
  const envgroup = stringFlag(args, 'envgroup');
  if (all && envgroup) throw new UsageError('give an env group or --all, not both');
  if (!all && !envgroup) throw new UsageError('which env group? give its name (kubectl apigee-tls diagnose ENVGROUP) or --all');
  const hosts = stringsFlag(args, 'host');
  for (const h of hosts) if (hostnameProblem(h)) throw new UsageError(hostnameProblem(h)!);
  const tail = Number(args.tail);
  // -1 is kubectl's "all lines".
  if (!Number.isInteger(tail) || tail < -1) throw new UsageError('--tail must be a whole number, 0 or more (-1 for all lines)');
  const org = stringFlag(args, 'org');
  const overridesPath = stringFlag(args, 'overrides');
  const overrides: Overrides | undefined = overridesPath ? await readOverrides(overridesPath) : undefined;
  const request: DiagnoseRequest = {
    target: kubectlTarget(args, io.env),
    kubectl: stringFlag(args, 'kubectl') ?? 'kubectl',
    envgroups: all ? { all: true } : { all: false, name: checkName('env group', envgroup!) },
    hosts,
    since: formatSeconds(durationFlag(args, 'since')),
    tail,
    now: io.now(),
    expiryWarningMs: durationFlag(args, 'expiry-warning'),
  };
  if (org) request.org = checkName('org', org);
  if (overrides) request.overrides = overrides;
  if (overridesPath) request.overridesPath = overridesPath;
  if (checkKubeconfig) await checkKubeconfigFirst(request.target);
  return request;
}

/** Runs the diagnosis and prints it; shared by `demo`, which only brings its own cluster. */
export async function diagnoseAndEmit(request: DiagnoseRequest, output: OutputRequest, io: CommandIO, forceList: boolean): Promise<number> {
  const exec = commandExec(io, output, request.kubectl);
  const wave = startDiagnoseWave(exec, request);
  // Loading the analysis blocks the thread: every process of the wave is started first.
  await allStarted(exec);
  const { diagnoseNamespace } = await import('../pipeline/diagnose.js');
  const items = await diagnoseNamespace(exec, request, { wave });
  const report = items.length === 1 && !request.envgroups.all && !forceList ? items[0]! : diagnosisList(items);
  const { emit } = await import('./emit.js');
  return emit(report, output, io.stdout);
}

export async function runDiagnose(args: Args, io: CommandIO): Promise<number> {
  const output = outputRequest(args, io.env, io.isTTY, io.columns);
  const contexts = contextsFlag(args);
  if (contexts.length > 1) return diagnoseContextsAndEmit(await diagnoseRequest(withoutContext(args), io, false), contexts, output, io);
  const request = await diagnoseRequest(contexts.length ? { ...args, context: contexts[0] } : args, io);
  return diagnoseAndEmit(request, output, io, false);
}

/** Every context at once, one DiagnosisList; text: a section per context, then env group × context. */
async function diagnoseContextsAndEmit(request: DiagnoseRequest, contexts: string[], output: OutputRequest, io: CommandIO): Promise<number> {
  const { diagnoseContexts, PROCESS_BOUND } = await import('../pipeline/contexts.js');
  const exec = { ...commandExec(io, output, request.kubectl), slots: newSlots(PROCESS_BOUND) };
  const outcomes = await diagnoseContexts(exec, request, contexts);
  const report = diagnosisList(outcomes.flatMap((o) => o.items));
  const { emit } = await import('./emit.js');
  if (output.format !== 'text') return emit(report, output, io.stdout);
  const { renderContextsText } = await import('../report/context-table.js');
  io.stdout(renderContextsText(report, output));
  return exitCodeOf(report);
}
