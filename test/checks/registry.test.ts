// Meta-tests of the checks' shape: every check file's check is registered, ids are unique, every
// check and cause is described, every cause a check may report is in the catalog, and the runner
// enforces what the checks declare.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { causeEntry, isCauseId } from '../../src/causes/catalog.js';
import { defineCheck, type Check, type RegistryEntry } from '../../src/checks/check.js';
import { REGISTRIES } from '../../src/checks/registry.js';
import { checksOf, runChecks } from '../../src/checks/run.js';
import { REPO_ROOT } from '../helpers/cluster.js';

const isCheck = (v: unknown): v is Check => typeof v === 'object' && v !== null && 'id' in v && 'run' in v && 'needs' in v && 'causes' in v;

async function checksInFiles(): Promise<Map<string, Check>> {
  const dir = join(REPO_ROOT, 'src', 'checks');
  const found = new Map<string, Check>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const mod = (await import(join(dir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) if (isCheck(value)) found.set(`${file}#${name}`, value);
  }
  return found;
}

const registered = (): Check[] => [...new Set(Object.values(REGISTRIES).flatMap((r) => checksOf(r)))];

test('every check defined in src/checks/ is in a registry', async (t) => {
  const defined = await checksInFiles();
  t.true(defined.size >= 18, `found ${defined.size} checks`);
  const inRegistry = new Set(registered());
  for (const [where, check] of defined) t.true(inRegistry.has(check), `${where} (${check.id}) is not registered`);
});

test('check ids are unique: no two checks share one, and no registry lists a check twice', (t) => {
  const checks = registered();
  t.is(new Set(checks.map((c) => c.id)).size, checks.length);
  for (const [command, registry] of Object.entries(REGISTRIES)) {
    const ids = checksOf(registry).map((c) => c.id);
    t.is(new Set(ids).size, ids.length, command);
  }
});

test('every check has a one-line description, needs something, and declares only catalog causes', (t) => {
  for (const c of registered()) {
    t.regex(c.id, /^[a-z]+(-[a-z]+)*$/, c.id);
    t.true(c.description.length > 15 && !c.description.includes('\n'), `${c.id} is described`);
    t.true(c.needs.length > 0, `${c.id} needs evidence`);
    for (const cause of c.causes) t.true(isCauseId(cause), `${c.id} declares ${cause}`);
    if (c.after)
      t.true(
        registered().some((o) => o.id === c.after!.check),
        `${c.id} runs after a real check`,
      );
  }
});

test('the diagnose registry keeps the playbook order: watcher logs, the secret, its certificate, its key', (t) => {
  const ids = checksOf(REGISTRIES.diagnose).map((c) => c.id);
  t.deepEqual(ids.slice(0, 6), ['watcher-logs', 'ingress-secret', 'secret-keys', 'certificate', 'private-key', 'key-match']);
});

// ---- The runner enforces the declarations -----------------------------------------------------

const NOW = { now: new Date('2026-12-01T00:00:00Z'), expiryWarningMs: 0 };
const fake = (over: Partial<Check>): Check =>
  defineCheck({
    id: 'fake',
    description: 'a check made up for the runner tests',
    causes: ['key-mismatch'],
    needs: ['hostnames'],
    run: () => ({ status: 'fail', cause: 'key-mismatch', summary: 'made up', evidence: [], commands: [] }),
    ...over,
  } as Check);

test('runner: a check whose evidence is absent is skipped with the reason gather gave', (t) => {
  const [f] = runChecks([fake({})], { inputs: {}, absent: { hostnames: 'no routes to read' } }, NOW);
  t.deepEqual(f, { check: 'fake', status: 'skip', cause: null, summary: 'no routes to read', evidence: [], commands: [] });
  t.deepEqual(runChecks([fake({ optional: true })], { inputs: {}, absent: {} }, NOW), []);
});

test('runner: `after` skips a check when the earlier one did not pass', (t) => {
  const first = fake({ id: 'first' });
  const second = fake({ id: 'second', after: { check: 'first', reason: 'not checked: first failed' } });
  const findings = runChecks([first, second], { inputs: { hostnames: [] }, absent: {} }, NOW);
  t.is(findings.find((f) => f.check === 'second')!.summary, 'not checked: first failed');
  t.is(findings.find((f) => f.check === 'second')!.status, 'skip');
});

test('runner: a section whose evidence is absent is one skip, or nothing', (t) => {
  const section = (whenAbsent: 'omit' | 'skip-first'): RegistryEntry => ({
    section: 's',
    needs: 'certSource',
    whenAbsent,
    checks: [fake({ id: 'a' }), fake({ id: 'b' })],
  });
  const e = { inputs: { hostnames: [] }, absent: { certSource: 'no secret to read' } };
  t.deepEqual(runChecks([section('skip-first')], e, NOW), [
    { check: 'a', status: 'skip', cause: null, summary: 'no secret to read', evidence: [], commands: [] },
  ]);
  t.deepEqual(runChecks([section('omit')], e, NOW), []);
});

test('runner: an undeclared cause, a status the catalog forbids, or a fail without a cause is a bug it refuses', (t) => {
  const e = { inputs: { hostnames: [] }, absent: {} };
  t.throws(() => runChecks([fake({ causes: ['chain-order'] })], e, NOW), { message: /undeclared cause key-mismatch/ });
  t.throws(() => runChecks([fake({ run: () => ({ status: 'warn', cause: 'key-mismatch', summary: '', evidence: [], commands: [] }) })], e, NOW), {
    message: /key-mismatch is fail, not warn/,
  });
  t.throws(() => runChecks([fake({ run: () => ({ status: 'fail', cause: null, summary: '', evidence: [], commands: [] }) })], e, NOW), {
    message: /without a cause/,
  });
  t.is(causeEntry('key-mismatch').status, 'fail');
});
