// Tools are found before they start (issue #18): on PATH, and on Windows with .exe/.com added, so
// that nothing ever goes through cmd.exe (cross-spawn's fallback for a command it cannot resolve).
// A batch file is not a tool: it would need cmd.exe. Files are made here, in a private temp dir.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { resolveTool } from '../src/exec/resolve-tool.js';
import { clusterFor } from './helpers/cluster.js';
import { cliRun } from './helpers/scenarios.js';

async function dirWith(t: ExecutionContext, files: Record<string, number>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-tools-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [name, mode] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), '#!/bin/sh\nexit 0\n');
    await chmod(join(dir, name), mode);
  }
  return dir;
}

test('on Windows a bare name is found with .exe or .com on Path; a .cmd or .bat is not a tool', async (t) => {
  const dir = await dirWith(t, { 'openssl.exe': 0o644, 'kubectl.cmd': 0o644, 'tool.bat': 0o644, 'other.com': 0o644 });
  const env = { Path: dir };
  t.is(resolveTool('openssl', env, 'win32'), join(dir, 'openssl.exe'));
  t.is(resolveTool('openssl.exe', env, 'win32'), join(dir, 'openssl.exe'));
  t.is(resolveTool('other', env, 'win32'), join(dir, 'other.com'));
  t.is(resolveTool('kubectl', env, 'win32'), null);
  t.is(resolveTool('kubectl.cmd', env, 'win32'), null);
  t.is(resolveTool('tool', env, 'win32'), null);
  // --openssl as given: a path, with .exe added when it has none.
  t.is(resolveTool(join(dir, 'openssl'), env, 'win32'), join(dir, 'openssl.exe'));
  t.is(resolveTool(join(dir, 'nope', 'openssl.exe'), env, 'win32'), null);
});

test('on Linux a bare name is found on PATH only when executable; a path is taken as given', async (t) => {
  const dir = await dirWith(t, { 'bin/kubectl': 0o755, 'bin/openssl': 0o644, 'later/openssl': 0o755 });
  const env = { PATH: `${join(dir, 'bin')}:${join(dir, 'later')}` };
  t.is(resolveTool('kubectl', env, 'linux'), join(dir, 'bin', 'kubectl'));
  // Not executable: skipped, as a shell skips it.
  t.is(resolveTool('openssl', env, 'linux'), join(dir, 'later', 'openssl'));
  t.is(resolveTool('nosuch', env, 'linux'), null);
  t.is(resolveTool(join(dir, 'bin', 'kubectl'), {}, 'linux'), join(dir, 'bin', 'kubectl'));
  t.is(resolveTool(join(dir, 'bin', 'openssl'), {}, 'linux'), null);
});

test('a kubectl that is not there is named as not found (exit 3), and nothing reaches the cluster', async (t) => {
  const c = await clusterFor(t);
  const r = await cliRun(c.env, ['diagnose', 'prod', '--kubectl', join(c.dir, 'no-such-kubectl')]);
  t.is(r.exitCode, 3, r.stderr);
  t.regex(r.stderr, /^error: .*kubectl was not found \(install it, or pass --kubectl PATH\)/);
  t.deepEqual(c.sim.requests, []);
});
