// `serve`: the Prometheus exporter (CONTRACT "Added later"). Flags become a ServeRequest; the
// loop and the HTTP side live in serve/.
import { IncompleteError, UsageError } from '../errors.js';
import { currentContext } from '../gather/kube-context.js';
import { parseListen } from '../serve/listen.js';
import { serve, type ServeContext, type ServeRequest } from '../serve/loop.js';
import type { Args } from './commands.js';
import { durationFlag, stringFlag } from './common.js';
import { contextsFlag, withoutContext } from './contexts-flag.js';
import { diagnoseRequest } from './diagnose.js';
import type { CommandIO } from './io.js';

/** The metric label of kubectl's in-cluster config (a pod's service account has no context name). */
export const IN_CLUSTER = 'in-cluster';

/**
 * --context, else the kubeconfig's current context (pinned for the whole life of the exporter),
 * else, in a pod (KUBERNETES_SERVICE_HOST and no kubeconfig context), kubectl's in-cluster config.
 */
async function serveContexts(args: Args, request: ServeRequest['diagnose'], env: NodeJS.ProcessEnv): Promise<ServeContext[]> {
  const named = contextsFlag(args);
  if (named.length) return named.map((context) => ({ label: context, context }));
  const current = await currentContext({ ...request.target, env });
  if (current) return [{ label: current, context: current }];
  if (env.KUBERNETES_SERVICE_HOST) return [{ label: IN_CLUSTER }];
  throw new IncompleteError(
    'no context: no kubeconfig sets current-context and no --context was given',
    'Pass --context NAME (repeatable), or run serve in a pod, where kubectl uses its service account.',
  );
}

export async function runServe(args: Args, io: CommandIO): Promise<number> {
  const intervalMs = durationFlag(args, 'interval');
  if (intervalMs < 1000) throw new UsageError('--interval must be at least 1s');
  const runTimeoutMs = durationFlag(args, 'timeout');
  if (runTimeoutMs <= 0) throw new UsageError('--timeout must be more than zero');
  const listenText = stringFlag(args, 'listen') ?? ':9464';
  const listen = parseListen(listenText);
  if (!listen) throw new UsageError('invalid --listen: use HOST:PORT or :PORT, e.g. :9464 or 127.0.0.1:9464');
  // serve resolves its contexts itself (in a pod, kubectl's in-cluster config has no kubeconfig).
  const diagnose = await diagnoseRequest({ ...withoutContext(args), all: true }, io, false);
  const request: ServeRequest = {
    contexts: await serveContexts(args, diagnose, io.env),
    diagnose,
    intervalMs,
    runTimeoutMs,
    listen,
    openssl: stringFlag(args, 'openssl') ?? 'openssl',
    verbose: args.verbose === true,
  };
  return serve(request, { stderr: io.stderr, stop: io.interrupt, now: io.now });
}
