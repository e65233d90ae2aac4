// What the user hands the plugin (safety, second round): a key pasted into a flag is never echoed
// back; `collect --force` replaces only a regular file; a --kubeconfig that is not a regular file
// (a process substitution's pipe, a device) is refused before anything runs. Keys, FIFOs and
// kubeconfigs are made here, at test time, in a private temp dir.
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { apigeeCluster } from '../src/sim/index.js';
import { clusterFor } from './helpers/cluster.js';
import { canaryLeaks, makeCanary } from './helpers/canary.js';
import { cliRun, fullChain, plant, rootCa, rsaKey, stackLines } from './helpers/scenarios.js';

const CANARY = makeCanary('pasted', rsaKey());
/** `"$(cat tls.key)"`: the whole PEM as one argument, and one body line of it alone. */
const PASTED = [CANARY.pkcs8.trimEnd(), CANARY.pkcs8.split('\n')[3]!];

const privateDir = async (t: ExecutionContext): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-local-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

const ORG = 'acme';
const ca = rootCa('Local Input Test Root CA');
const key = rsaKey();
const scenario = apigeeCluster({ org: ORG, envgroups: [{ name: 'prod', secret: { cert: fullChain(ca, `prod.${ORG}.example.com`, key), key: plant(key) } }] });

// ---------------------------------------------------------------------------------------------
// Finding 6: flag values

test('a key pasted into --key, --cert, --timeout, --expiry-warning or -o is described, never echoed (exit 2)', async (t) => {
  const home = await privateDir(t);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1' };
  const cert = join(home, 'tls.crt');
  execFileSync('sh', ['-c', `cat > '${cert}'`], { input: fullChain(ca, 'x.example.com', key) });
  for (const value of PASTED) {
    // `--key=…` hands yargs a value that starts with a dash; a body line also goes as `--key …`.
    const given = (flag: string): string[] => (value.startsWith('-') ? [`${flag}=${value}`] : [flag, value]);
    const runs: Array<[string, string[]]> = [
      ['--key', ['check', '--cert', cert, ...given('--key')]],
      ['--cert', ['check', ...given('--cert')]],
      ['--timeout', ['check', '--cert', cert, ...given('--timeout')]],
      ['--expiry-warning', ['check', '--cert', cert, ...given('--expiry-warning')]],
      ['-o', ['check', '--cert', cert, ...given('-o')]],
    ];
    for (const [flag, args] of runs) {
      const r = await cliRun(env, args);
      // Named by flag and length only: the message must not quote the key either.
      const what = `${flag} with a ${value.length}-character key text`;
      t.is(r.exitCode, 2, `${what}: ${r.stderr}`);
      t.deepEqual(canaryLeaks(`${r.stdout}\n${r.stderr}`, [CANARY]), [], what);
      t.regex(r.stderr, new RegExp(`\\(a ${value.length}-character value, not shown\\)`), what);
      t.deepEqual(stackLines(r.stderr), [], what);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Finding 12: --force replaces only a regular file

test('collect --out FIFO --force is refused (exit 2) and the FIFO stays; a regular file is still replaced', async (t) => {
  const c = await clusterFor(t, scenario.objects, scenario.logs);
  const dir = await privateDir(t);
  // A FIFO stands in for a device node: a test may not make one, and must never touch /dev/null.
  const fifo = join(dir, 'out.tar.gz');
  execFileSync('mkfifo', [fifo]);
  const r = await cliRun(c.env, ['collect', 'prod', '--out', fifo, '--force']);
  t.is(r.exitCode, 2, r.stderr);
  t.is(r.stderr, `error: --out ${fifo} is not a regular file; --force replaces only a regular file\nSee 'kubectl apigee-tls collect --help' for usage.\n`);
  t.true(lstatSync(fifo).isFIFO());
  t.false(
    c.sim.requests.some((q) => q.path.includes('/secrets')),
    'the cluster was read before the refusal',
  );

  const file = join(dir, 'old.tar.gz');
  execFileSync('sh', ['-c', `echo old > '${file}'`]);
  const replaced = await cliRun(c.env, ['collect', 'prod', '--out', file, '--force']);
  t.is(replaced.exitCode, 0, replaced.stderr);
  t.true(lstatSync(file).isFile());
  t.not(readFileSync(file, 'utf8'), 'old\n');
});

// ---------------------------------------------------------------------------------------------
// Finding 13: --kubeconfig that is not a regular file

test('--kubeconfig that is a pipe (a process substitution) or a device is refused with one line (exit 2), nothing run', async (t) => {
  const c = await clusterFor(t, scenario.objects, scenario.logs);
  const dir = await privateDir(t);
  const fifo = join(dir, 'kubeconfig.fifo');
  execFileSync('mkfifo', [fifo]);
  // What `<(cat kubeconfig)` gives: a pipe with one writer, readable once.
  const writer = execa('sh', ['-c', `cat '${c.env.KUBECONFIG}' > '${fifo}'`], { reject: false, timeout: 30_000 });
  t.teardown(() => {
    writer.kill('SIGKILL');
  });
  for (const kubeconfig of [fifo, '/dev/null']) {
    const r = await cliRun(c.env, ['diagnose', 'prod', '--kubeconfig', kubeconfig]);
    t.is(r.exitCode, 2, r.stderr);
    t.is(
      r.stderr,
      `error: --kubeconfig ${kubeconfig} is not a regular file (a pipe, a device or a folder cannot be passed on to kubectl)\nSee 'kubectl apigee-tls diagnose --help' for usage.\n`,
    );
  }
  t.deepEqual(
    c.sim.requests.filter((q) => q.path.startsWith('/api/v1/namespaces')),
    [],
    'kubectl ran',
  );
});
