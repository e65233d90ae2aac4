// The README's way onto PATH from a checkout: `npm link` links the bundle as `kubectl-apigee_tls`,
// and kubectl finds it as the plugin `apigee-tls`. Run for real, into a private npm prefix.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { BUNDLE, REPO_ROOT } from './helpers/cluster.js';

test('the bundle is an executable node script', async (t) => {
  const head = (await readFile(BUNDLE, 'utf8')).slice(0, 20);
  t.true(head.startsWith('#!/usr/bin/env node\n'), head);
  t.is((await stat(BUNDLE)).mode & 0o111, 0o111);
});

test('npm link puts the plugin on PATH: kubectl plugin list finds it and kubectl apigee-tls runs it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-link-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const prefix = join(dir, 'prefix');
  const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, NPM_CONFIG_PREFIX: prefix, KUBECONFIG: join(dir, 'none') };
  // --offline: linking needs nothing from the registry (and a test must not reach it).
  const link = await execa('npm', ['link', '--offline'], { cwd: REPO_ROOT, env, extendEnv: false, reject: false });
  t.is(link.exitCode, 0, link.stderr);
  const list = await execa('kubectl', ['plugin', 'list'], { env, extendEnv: false, reject: false });
  t.is(list.exitCode, 0, list.stderr);
  t.true(list.stdout.split('\n').includes(join(prefix, 'bin', 'kubectl-apigee_tls')), list.stdout);
  t.false(list.stderr.includes('kubectl-apigee_tls'), list.stderr); // e.g. "is not executable"
  const version = await execa('kubectl', ['apigee-tls', 'version'], { env, extendEnv: false, reject: false });
  t.regex(version.stdout, /^kubectl apigee-tls \d+\.\d+\.\d+ /);
});
