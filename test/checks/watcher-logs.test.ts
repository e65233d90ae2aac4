// watcher-logs: whether apigee-watcher's logs could be read at all (the playbook's step 1), so a
// silent log is not mistaken for a clean one.
import test from 'ava';
import { evidence } from '../../src/checks/inputs.js';
import { DIAGNOSE_CHECKS } from '../../src/checks/registry.js';
import { watcherLogs } from '../../src/checks/watcher-logs.js';
import { watcherPodName, watcherSecretNotFoundLine } from '../../src/sim/scenario.js';
import { clusterOf, diagnoseCtx, diagnoseEvidence, forbidden, judge, judgeIn, SECRET, watcherOk } from './helpers.js';

const run = (cluster = clusterOf()) => judge(watcherLogs, evidence({ cluster }), diagnoseCtx(cluster));

test('pass: read, and no line reports the secret missing', (t) => {
  const cluster = clusterOf();
  const f = run(cluster);
  t.is(f.status, 'pass');
  t.is(f.cause, null);
  t.is(f.summary, 'read the apigee-watcher logs of the last 1h: none reports secret "my-org-prod" missing');
  t.deepEqual(f.evidence, [`read pod/${watcherPodName('my-org')}/apigee-watcher`]);
  t.deepEqual(f.commands, [
    `kubectl -n apigee logs -l app=apigee-watcher --all-containers --since=1h --tail=10000 | grep 'failed to get secret "my-org-prod"'`,
  ]);
});

test("pass: the lines that report it are counted (they are ingress-secret's evidence), and unreadable streams named", (t) => {
  const lines = [watcherSecretNotFoundLine(SECRET), watcherSecretNotFoundLine(SECRET, 'apigee', { json: true })];
  const failure = { kind: 'other' as const, message: 'container "sidecar" is waiting to start', command: 'kubectl -n apigee logs pod/x -c sidecar' };
  const f = run(clusterOf({ watcher: watcherOk(lines, { failures: [failure] }) }));
  t.is(f.status, 'pass');
  t.is(f.summary, 'read the apigee-watcher logs of the last 1h: 2 lines report secret "my-org-prod" missing');
  t.is(f.evidence[1], 'could not read: container "sidecar" is waiting to start');
});

test('skip (its own): no apigee-watcher pod in the namespace', (t) => {
  const f = run(clusterOf({ watcher: watcherOk([], { noPods: true, sources: [] }) }));
  t.deepEqual(f, {
    check: 'watcher-logs',
    status: 'skip',
    cause: null,
    summary: 'no apigee-watcher pod in namespace "apigee" (label app=apigee-watcher, or a name starting apigee-watcher-)',
    evidence: [],
    commands: [],
  });
});

test('skip (its own): the logs were not gathered, with the reason gather gave', (t) => {
  const f = run(clusterOf({ watcher: { state: 'absent', why: 'not read: --since 0s' } }));
  t.is(f.status, 'skip');
  t.is(f.summary, 'not read: --since 0s');
});

test('error: pods could not be listed (Forbidden), with the Role that grants enough', (t) => {
  const failure = forbidden('pods', 'kubectl -n apigee get pods -o json');
  const f = run(clusterOf({ watcher: { state: 'error', failure } }));
  t.is(f.status, 'error');
  t.is(f.cause, null);
  t.is(f.summary, `could not read pods in namespace "apigee": ${failure.message}`);
  t.deepEqual(f.commands, [failure.command]);
  t.regex(f.remediation!, /the plugin needs no more than this Role \(bind it to your user\):\n[\s\S]*kind: Role/);
});

test('error: every stream failed and none was read', (t) => {
  const failure = { kind: 'other' as const, message: 'error: container apigee-watcher is not valid', command: 'kubectl -n apigee logs -l app=apigee-watcher' };
  const f = run(clusterOf({ watcher: watcherOk([], { sources: [], failures: [failure] }) }));
  t.is(f.status, 'error');
  t.is(f.summary, `could not read the apigee-watcher logs: ${failure.message}`);
  t.is(f.remediation, undefined);
});

test('skip: no cluster evidence', (t) => {
  t.is(judge(watcherLogs, evidence({})).summary, 'not checked: no cluster');
});

test('first in the diagnose registry, whatever the secret', (t) => {
  const cluster = clusterOf({ secret: null });
  t.is(judgeIn(DIAGNOSE_CHECKS, 'watcher-logs', diagnoseEvidence(cluster), diagnoseCtx(cluster)).status, 'pass');
});
