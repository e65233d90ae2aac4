// Output that fits a terminal: under a pseudo-terminal of 100 columns the text wraps with hanging
// indents and `$` commands stay whole; off a terminal nothing wraps. `demo` ends with a table of
// one line per env group.
import test from 'ava';
import { execa } from 'execa';
import { inFlight, progressLine } from '../src/cli/progress.js';
import { wrapLine } from '../src/report/wrap.js';
import { BUNDLE, REPO_ROOT, isolatedEnv } from './helpers/cluster.js';
import { type DiagnosisListJson, item, finding } from './helpers/scenarios.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function demoEnv(t: { teardown(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-tty-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return isolatedEnv(dir);
}

/** `node BUNDLE args` on a pseudo-terminal of `cols` columns (util-linux script), stdout and stderr both. */
async function onTerminal(env: Record<string, string>, cols: number, args: string[]): Promise<{ exitCode: number; lines: string[] }> {
  const command = `stty cols ${cols} rows 50; exec ${[process.execPath, BUNDLE, ...args].map((a) => `'${a}'`).join(' ')}`;
  const r = await execa('script', ['-qec', command, '/dev/null'], { env, extendEnv: false, cwd: REPO_ROOT, reject: false, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, lines: r.stdout.replace(/\r/g, '').split('\n') };
}

test('demo at 100 columns: every line but a $ command fits, commands are whole, and a closing table per env group', async (t) => {
  const env = await demoEnv(t);
  const [tty, json] = await Promise.all([
    onTerminal(env, 100, ['demo']),
    execa(process.execPath, [BUNDLE, 'demo', '-o', 'json'], { env, extendEnv: false, reject: false }),
  ]);
  t.is(tty.exitCode, 1);
  const tooWide = tty.lines.filter((l) => [...l].length > 100 && !l.trimStart().startsWith('$ '));
  t.deepEqual(tooWide, []);
  // The widest command of the demo, exactly as -o json has it, on one line.
  const list = JSON.parse(json.stdout) as DiagnosisListJson;
  const longest = finding(item(list, 'key-mismatch'), 'key-match').commands.reduce((a, b) => (b.length > a.length ? b : a));
  t.true(longest.length > 200);
  t.true(tty.lines.includes(`       $ ${longest}`), longest);
  // A wrapped headline continues under its summary column.
  const at = tty.lines.findIndex((l) => l.startsWith('FAIL   certificate    secret "demo-org-malformed-cert" key "cert" is not a well-formed PEM'));
  t.true(at >= 0);
  t.regex(tty.lines[at + 1] ?? '', /^ {22}\S/);
  const table = tty.lines.slice(tty.lines.indexOf('ENV GROUP       RESULT          CAUSES'));
  t.deepEqual(table.slice(0, 16), [
    'ENV GROUP       RESULT          CAUSES',
    'byo-missing     problems found  missing-ingress-secret',
    'cert-pending    problems found  missing-ingress-secret, certificate-not-issued',
    'chain-reversed  problems found  chain-order',
    'expired         problems found  certificate-expired, apigee-issue-reported',
    'healthy-ec      healthy         -',
    'healthy-rsa     healthy         -',
    'key-mismatch    problems found  key-mismatch, ingress-rejected-secret',
    'malformed-cert  problems found  malformed-certificate, ingress-rejected-secret',
    'missing-secret  problems found  missing-ingress-secret, ingress-rejected-secret',
    'mtls-cacert     healthy         -',
    'non-sni         problems found  route-secret-missing',
    'p384-cert       problems found  ingress-rejected-secret',
    'routes-stuck    problems found  watcher-update-failed',
    'wrong-host      problems found  hostname-not-covered',
    '',
  ]);
  t.is(table[16], '14 env groups: 3 healthy, 11 with problems, 0 incomplete');
});

test('off a terminal, nothing wraps: a FAIL headline is one line, whatever its length', async (t) => {
  const env = await demoEnv(t);
  const r = await execa(process.execPath, [BUNDLE, 'demo'], { env: { ...env, COLUMNS: '100' }, extendEnv: false, reject: false });
  t.is(r.exitCode, 1);
  const head = r.stdout.split('\n').find((l) => l.startsWith('FAIL   certificate    secret "demo-org-malformed-cert"'));
  t.true(head !== undefined && head.length > 200 && head.endsWith('[malformed-certificate]'), head);
});

test('wrapLine: greedy at spaces, hanging indent, colour codes take no width, long words kept whole', (t) => {
  t.deepEqual(wrapLine('aaa bbb ccc ddd', 8, 2), ['aaa bbb', '  ccc', '  ddd']);
  t.deepEqual(wrapLine('  x  yy  zz', 7, 4), ['  x  yy', '    zz']);
  t.deepEqual(wrapLine('\u001b[31mFAIL\u001b[0m ab cd', 7, 5), ['\u001b[31mFAIL\u001b[0m ab', '     cd']);
  t.deepEqual(wrapLine('a ' + 'x'.repeat(20) + ' b', 10, 2), ['a', '  ' + 'x'.repeat(20), '  b']);
  t.deepEqual(wrapLine('short', 10, 2), ['short']);
});

test('progress: shows the oldest command still running, cut to the terminal', (t) => {
  const started = ['kubectl get secrets', 'kubectl logs -l app=apigee-watcher', 'kubectl get secrets'];
  t.deepEqual(inFlight(started, [{ display: 'kubectl get secrets' }]), ['kubectl logs -l app=apigee-watcher', 'kubectl get secrets']);
  t.deepEqual(inFlight(started, [{ display: 'kubectl logs -l app=apigee-watcher' }]), ['kubectl get secrets', 'kubectl get secrets']);
  t.is(progressLine(['kubectl get secrets', 'x'], 2, 100), 'waiting 2s on: kubectl get secrets (+1 more)');
  const cut = progressLine(['kubectl ' + 'x'.repeat(200)], 3, 80);
  t.is(cut.length, 79);
  t.true(cut.endsWith('…'));
});
