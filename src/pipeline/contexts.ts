// `diagnose` over many contexts at once: each context resolves its own org, secrets and routes
// through the one-context pipeline; one that cannot be diagnosed at all (unknown, unreachable,
// unauthorized, timed out) becomes an `incomplete` item with its reason while the others report.
// The processes of every context share the exec's slots, so ten contexts do not start forty
// kubectl processes together; each call still gets the whole --request-timeout once it starts.
import { IncompleteError } from '../errors.js';
import type { ExecContext } from '../exec/context.js';
import { definedContexts } from '../gather/kube-context.js';
import type { Diagnosis, Finding } from '../report/finding.js';
import { diagnosis } from '../report/result.js';
import { diagnoseNamespace, type CertificateTap, type DiagnoseRequest } from './diagnose.js';

/** kubectl processes at once across every context (a context alone starts three or four). */
export const PROCESS_BOUND = 8;

export interface ContextOutcome {
  /** undefined: kubectl's own choice (the current context, or the pod's service account). */
  context: string | undefined;
  items: Diagnosis[];
  /** Why the context could not be diagnosed at all; its one item is then incomplete. */
  failure?: string;
  ms: number;
}

/** The item of a context that could not be diagnosed: result incomplete, one error finding saying why. */
function failedContext(request: DiagnoseRequest, context: string | undefined, message: string, hint: string | undefined, check: string): Diagnosis {
  // A kubectl failure comes as its line, then "(while running: …)": the first line is the summary.
  const [summary, ...more] = message.split('\n');
  const finding: Finding = { check, status: 'error', cause: null, summary: summary!, evidence: more.map((l) => l.trim()).filter(Boolean), commands: [] };
  if (hint) finding.remediation = hint;
  return diagnosis({ ...(context ? { context } : {}), namespace: request.target.namespace }, [finding]);
}

async function unknownContext(request: DiagnoseRequest, context: string | undefined): Promise<string | null> {
  if (!context) return null;
  const defined = await definedContexts(request.target);
  if (!defined || defined.names.includes(context)) return null;
  return `context "${context}" does not exist in ${defined.files.join(', ')}`;
}

export async function diagnoseContext(
  exec: ExecContext,
  request: DiagnoseRequest,
  context: string | undefined,
  certificateTap?: CertificateTap,
): Promise<ContextOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const target = { ...request.target };
  if (context) target.context = context;
  else delete target.context;
  const unknown = await unknownContext(request, context);
  if (unknown) {
    const item = failedContext(request, context, unknown, 'Check --context: kubectl config get-contexts lists them.', 'context');
    return { context, items: [item], failure: unknown, ms: ms() };
  }
  try {
    const items = await diagnoseNamespace(exec, { ...request, target }, { certificateTap });
    return { context, items, ms: ms() };
  } catch (err) {
    if (!(err instanceof IncompleteError)) throw err;
    const check = (err as { check?: unknown }).check;
    const item = failedContext(request, context, err.message, err.hint, typeof check === 'string' ? check : 'run');
    return { context, items: [item], failure: err.message.split('\n')[0]!, ms: ms() };
  }
}

/** Every context at once; outcomes in the order the contexts were given. */
export function diagnoseContexts(
  exec: ExecContext,
  request: DiagnoseRequest,
  contexts: readonly (string | undefined)[],
  certificateTap?: CertificateTap,
): Promise<ContextOutcome[]> {
  return Promise.all(contexts.map((c) => diagnoseContext(exec, request, c, certificateTap)));
}
