// The cause catalog is the one source of the cause ids: the README's table and docs/causes.md must
// say the same, and `explain` prints it, offline, through the built bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { CAUSE_CATALOG, CAUSE_IDS } from '../src/causes/catalog.js';
import { causesMarkdown } from '../src/explain/markdown.js';
import { REPO_ROOT, runCli } from './helpers/cluster.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const STATUS_IN_README = { fail: 'fail', warn: 'warn', 'by-severity': 'fail or warn', 'by-state': 'fail or warn' } as const;

/** The rows of the README's cause table: id → status. */
function readmeCauseTable(): Map<string, string> {
  const section = README.slice(README.indexOf('## Cause ids'), README.indexOf('\n## ', README.indexOf('## Cause ids') + 1));
  const rows = [...section.matchAll(/^\| `([a-z-]+)` \| ([a-z ]+) \|/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

test('the README cause table lists exactly the catalog ids, each with its status', (t) => {
  const table = readmeCauseTable();
  t.deepEqual([...table.keys()], [...CAUSE_IDS]);
  for (const c of CAUSE_CATALOG) t.is(table.get(c.id), STATUS_IN_README[c.status], c.id);
});

test('docs/causes.md is generated from the catalog and is not stale (npm run docs)', (t) => {
  t.is(readFileSync(join(REPO_ROOT, 'docs', 'causes.md'), 'utf8'), causesMarkdown());
});

test('the catalog holds every cause id of the contract, once, each described', (t) => {
  // Copied once from CONTRACT.md, including its "Added later" table.
  const contract = [
    'missing-ingress-secret',
    'malformed-certificate',
    'key-mismatch',
    'malformed-private-key',
    'secret-missing-keys',
    'certificate-expired',
    'certificate-not-yet-valid',
    'certificate-expiring-soon',
    'hostname-not-covered',
    'chain-order',
    'chain-incomplete',
    'weak-certificate',
    'mtls-ca-invalid',
    'apigee-issue-reported',
    'route-config-error',
    'handshake-reset',
    'handshake-alert',
    'handshake-closed',
    'served-certificate-differs',
    'route-secret-missing',
    'no-ingress-gateway',
    'ingress-rejected-secret',
    'watcher-update-failed',
    'certificate-not-issued',
    'connect-failed',
    'handshake-timeout',
    'not-tls',
    'tls-version-refused',
    'client-certificate-required',
    'served-chain-untrusted',
  ];
  t.deepEqual([...CAUSE_IDS].sort(), [...contract].sort());
  t.is(new Set(CAUSE_IDS).size, CAUSE_IDS.length);
  for (const c of CAUSE_CATALOG) {
    t.true(c.title.length > 10 && c.decided.length > 20 && c.fix.length > 10, `${c.id} is described`);
    t.true(c.commands.length > 0, `${c.id} names the commands that show it`);
  }
  t.is(CAUSE_CATALOG.find((c) => c.id === 'certificate-expiring-soon')!.status, 'warn');
  t.is(CAUSE_CATALOG.find((c) => c.id === 'chain-incomplete')!.status, 'warn');
  t.is(CAUSE_CATALOG.find((c) => c.id === 'weak-certificate')!.status, 'warn');
  t.is(CAUSE_CATALOG.find((c) => c.id === 'apigee-issue-reported')!.status, 'by-severity');
});

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', NO_COLOR: '1' };

test('explain lists every cause id of the catalog and every check, by command', async (t) => {
  const r = await runCli(['explain'], env);
  t.is(r.exitCode, 0);
  t.is(r.stderr, '');
  for (const id of CAUSE_IDS) t.regex(r.stdout, new RegExp(`^  ${id} `, 'm'), id);
  for (const section of ['check:', 'diagnose:', 'probe:', 'probe --from-curl-log:']) t.true(r.stdout.includes(`\n  ${section}\n`), section);
  for (const check of [
    'watcher-logs',
    'ingress-secret',
    'secret-keys',
    'certificate',
    'key-match',
    'mtls-ca',
    'handshake',
    'served-certificate',
    'curl-transcript',
  ])
    t.regex(r.stdout, new RegExp(`^    ${check} `, 'm'), check);
});

test('explain key-mismatch prints its catalog entry and the check that reports it', async (t) => {
  const r = await runCli(['explain', 'key-mismatch'], env);
  t.is(r.exitCode, 0);
  const lines = r.stdout.split('\n');
  t.is(lines[0], 'key-mismatch (fail)');
  t.is(lines[1], '  the private key does not belong to the leaf certificate');
  t.true(lines.includes('Reported by: key-match (check, diagnose); route-secret (diagnose); client-credentials (probe)'));
  t.true(lines.some((l) => l.startsWith('  $ diff -q <(kubectl -n <ns> get secret <secret>')));
  t.true(lines.some((l) => l.startsWith('Fix: supply the private key the certificate was issued for')));
  t.true(lines.includes('More: https://cloud.google.com/apigee/docs/api-platform/troubleshoot/playbooks/ingressgateway/api-calls-failing-tls-errors'));
});

test('explain of a check id prints its declaration; of a warn cause, its status', async (t) => {
  const check = await runCli(['explain', 'chain-complete'], env);
  t.is(check.exitCode, 0);
  // probe judges trust with served-chain-trust instead (a client's trust store is known there).
  t.true(check.stdout.startsWith('chain-complete (a check of check, diagnose)\n'));
  t.true(check.stdout.includes('\nCauses it may report: chain-incomplete\n'));
  t.true(check.stdout.includes('\nRuns after: chain-order passed\n'));
  const warn = await runCli(['explain', 'certificate-expiring-soon'], env);
  t.true(warn.stdout.startsWith('certificate-expiring-soon (warn)\n'));
});

test('explain of an unknown name exits 2 with the closest id; nothing on stdout', async (t) => {
  const r = await runCli(['explain', 'keymismatch'], env);
  t.is(r.exitCode, 2);
  t.is(r.stdout, '');
  t.is(r.stderr.split('\n')[0], 'error: unknown cause or check "keymismatch"; did you mean key-mismatch? (kubectl apigee-tls explain lists them)');
  const far = await runCli(['explain', 'nosuch'], env);
  t.is(far.exitCode, 2);
  t.true(far.stderr.startsWith('error: unknown cause or check "nosuch"'));
});

test('explain of a pasted key is described, not echoed', async (t) => {
  // A key body line, as a paste of the wrong clipboard would give it.
  const pasted = 'QUJD'.repeat(16);
  const r = await runCli(['explain', pasted], env);
  t.is(r.exitCode, 2);
  t.false(r.stderr.includes('QUJD'));
  t.regex(r.stderr, /unknown cause or check \(a \d+-character value, not shown\)/);
});
