// `diagnose --context a,b,c`: three simulated clusters as three contexts of one kubeconfig, the
// third stopped. One DiagnosisList, an item per context and env group, the stopped one incomplete.
import { join } from 'node:path';
import test from 'ava';
import { PROCESS_BOUND } from '../src/pipeline/contexts.js';
import type { RunResult } from './helpers/cluster.js';
import { addAlias, fleetFor, mostAtOnce, recordingKubectl, regionObjects, type Fleet } from './helpers/fleet.js';
import { finding, runWith, verdicts, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';

const json = (r: RunResult): DiagnosisListJson => JSON.parse(r.stdout) as DiagnosisListJson;

/** a: healthy; b: prod's key belongs to another certificate; c: stopped after the kubeconfig was written. */
async function threeRegions(t: Parameters<typeof fleetFor>[0]): Promise<Fleet> {
  const fleet = await fleetFor(t, { a: regionObjects(false), b: regionObjects(true), c: regionObjects(false) });
  await fleet.sims.c!.close();
  return fleet;
}

const itemOf = (list: DiagnosisListJson, context: string, envgroup?: string): DiagnosisJson => {
  const d = list.items.find((i) => i.target.context === context && i.target.envgroup === envgroup);
  if (!d)
    throw new Error(`no item for ${context}/${envgroup}: ${list.items.map((i) => `${String(i.target.context)}/${String(i.target.envgroup)}`).join(', ')}`);
  return d;
};

test('diagnose --all --context a,b,c -o json: one DiagnosisList; a and b report, the stopped c is incomplete; exit as the worst item', async (t) => {
  const fleet = await threeRegions(t);
  const r = await runWith(t, fleet.env, ['diagnose', '--all', '--context', 'a,b,c', '-o', 'json', '--request-timeout', '5s']);
  t.is(r.exitCode, 1, r.stderr);
  const list = json(r);
  t.is(list.kind, 'DiagnosisList');
  t.deepEqual(
    list.items.map((i) => `${String(i.target.context)} ${String(i.target.envgroup)} ${i.result}`),
    ['a prod healthy', 'a test healthy', 'b prod problems-found', 'b test healthy', 'c undefined incomplete'],
  );
  t.true(list.items.every((i) => typeof i.target.context === 'string'));
  t.is(finding(itemOf(list, 'b', 'prod'), 'key-match').cause, 'key-mismatch');
  t.is(itemOf(list, 'a', 'prod').target.org, 'acme');
  const c = itemOf(list, 'c');
  t.deepEqual(verdicts(c), ['run error']);
  t.regex(finding(c, 'run').summary, /connect|refused/i);
  t.deepEqual(fleet.sims.a!.writeAttempts(), []);
  t.deepEqual(fleet.sims.b!.writeAttempts(), []);
});

test('diagnose --context a --context c: the unreachable context makes the exit 3 while a reports healthy', async (t) => {
  const fleet = await threeRegions(t);
  const r = await runWith(t, fleet.env, ['diagnose', 'prod', '--context', 'a', '--context', 'c', '-o', 'json', '--request-timeout', '5s']);
  t.is(r.exitCode, 3, r.stderr);
  const list = json(r);
  t.deepEqual(
    list.items.map((i) => `${String(i.target.context)} ${i.result}`),
    ['a healthy', 'c incomplete'],
  );
});

test('an unknown context is an incomplete item naming it, without a kubectl call; the others report', async (t) => {
  const fleet = await threeRegions(t);
  const r = await runWith(t, fleet.env, ['diagnose', '--all', '--context', 'a,nowhere', '-o', 'json']);
  t.is(r.exitCode, 3, r.stderr);
  const list = json(r);
  t.is(itemOf(list, 'a', 'prod').result, 'healthy');
  const unknown = itemOf(list, 'nowhere');
  t.is(unknown.result, 'incomplete');
  t.deepEqual(verdicts(unknown), ['context error']);
  t.is(finding(unknown, 'context').summary, `context "nowhere" does not exist in ${join(fleet.dir, 'kubeconfig')}`);
});

test('text: a section per context, then the env group × context table with result and causes', async (t) => {
  const fleet = await threeRegions(t);
  const r = await runWith(t, fleet.env, ['diagnose', '--all', '--context', 'a,b,c', '--request-timeout', '5s']);
  t.is(r.exitCode, 1, r.stderr);
  for (const context of ['a', 'b', 'c']) t.true(r.stdout.includes(`== Context ${context} ==`), context);
  const table = r.stdout.slice(r.stdout.lastIndexOf('ENV GROUP')).trimEnd().split('\n');
  t.deepEqual(
    table.map((l) => l.split(/ {3,}/)),
    [
      ['ENV GROUP', 'a', 'b', 'c'],
      ['prod', 'healthy', 'problems found: key-mismatch', 'incomplete'],
      ['test', 'healthy', 'healthy', 'incomplete'],
    ],
  );
});

test('many contexts share one bound on kubectl processes, and run at once', async (t) => {
  const fleet = await fleetFor(t, { a: regionObjects(false) });
  const names = ['a', 'a2', 'a3', 'a4', 'a5', 'a6'];
  for (const alias of names.slice(1)) await addAlias(fleet, alias, 'a');
  const kubectl = await recordingKubectl(fleet.dir);
  const r = await runWith(t, fleet.env, ['diagnose', '--all', '--context', names.join(','), '-o', 'json', '--kubectl', kubectl.path]);
  t.is(r.exitCode, 0, r.stderr);
  t.is(json(r).items.length, names.length * 2);
  const lines = await kubectl.events();
  const most = mostAtOnce(lines);
  t.true(lines.length / 2 > PROCESS_BOUND, `${lines.length / 2} processes`);
  t.true(most <= PROCESS_BOUND, `${most} at once`);
  // More than one context's worth at once: the contexts overlap.
  t.true(most > 3, `${most} at once`);
});

test('--timeout bounds the whole run: a context whose API server never answers is incomplete, the other reports', async (t) => {
  const fleet = await fleetFor(t, { a: regionObjects(false), h: { ...regionObjects(false), faults: [{ match: '.*', hang: true }] } });
  const r = await runWith(t, fleet.env, ['diagnose', '--all', '--context', 'a,h', '-o', 'json', '--timeout', '20s', '--request-timeout', '3s']);
  t.is(r.exitCode, 3, r.stderr);
  const list = json(r);
  t.deepEqual(
    list.items.map((i) => `${String(i.target.context)} ${String(i.target.envgroup)} ${i.result}`),
    ['a prod healthy', 'a test healthy', 'h undefined incomplete'],
  );
  t.regex(finding(itemOf(list, 'h'), 'run').summary, /deadline|timeout|timed out|exceeded/i);
});
