// `diagnose <envgroup>` for a name nothing in the namespace knows, while other env groups are there:
// an error naming the ones that are (closest first), not a missing secret (apigee/envgroup-absent.ts).
import { envGroupAbsent } from '../apigee/envgroup-absent.js';
import type { Resolution } from '../apigee/resolve.js';
import { nameOf } from '../apigee/resources.js';
import { kubectlCommand, type KubectlScope } from '../cmdline/kubectl.js';
import type { Observed } from '../evidence/cluster.js';
import { itemsOrEmpty } from '../gather/listing.js';
import type { NamespaceSnapshot } from '../gather/snapshot.js';
import type { WatcherLogs } from '../gather/watcher-logs.js';
import type { Diagnosis, Target } from '../report/finding.js';
import { diagnosis } from '../report/result.js';
import { watcherSecretNotFound } from '../signatures/index.js';

export function absentEnvGroupReport(
  r: Resolution,
  snapshot: NamespaceSnapshot,
  logs: Observed<WatcherLogs>,
  scope: KubectlScope,
  inOverrides: boolean,
  target: Target,
): Diagnosis | null {
  // Only a listing that worked can say a name is not there.
  if (snapshot.routeConfigs.state !== 'ok' || snapshot.secrets.state !== 'ok' || logs.state !== 'ok') return null;
  const routeConfigs = snapshot.routeConfigs.items;
  const secretFound =
    Boolean(r.secret.namespace && r.secret.namespace !== snapshot.namespace) || itemsOrEmpty(snapshot.secrets).some((s) => nameOf(s) === r.secret.name);
  const watcherReported = logs.value.lines.some((l) => watcherSecretNotFound(l.text, r.secret.name));
  const absent = envGroupAbsent(r.envgroup, r.org, snapshot.namespace, { routeConfigs, secretFound, watcherReported, inOverrides });
  if (!absent) return null;
  return diagnosis(target, [
    {
      check: 'envgroup',
      status: 'error',
      cause: null,
      summary: absent.summary,
      evidence: [
        `ApigeeRouteConfigs here: ${routeConfigs.map(nameOf).join(', ')}`,
        `no ApigeeRouteConfig ${r.org}-${r.envgroup}, no secret ${r.secret.name}, and no apigee-watcher line about it`,
      ],
      commands: [kubectlCommand(scope, ['get', 'apigeerouteconfigs'])],
      remediation: `check the name: did you mean ${absent.envgroups[0]}? (or -n, if the env group lives in another namespace)`,
    },
  ]);
}
