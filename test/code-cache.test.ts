// The bundle's V8 code cache (scripts/build/code-cache-loader.cjs) only ever saves time: a run with
// no cache writes one (private to the user), a run with a damaged or unwritable cache still works
// and prints the same, and the cache never holds anything but compiled code of the bundle.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { runCli } from './helpers/cluster.js';

async function cacheHome(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-cache-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const env = (cache: string) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', XDG_CACHE_HOME: cache, NO_COLOR: '1' });

test('a first run writes the code cache (0700 folder, 0600 file); the next run reads it and prints the same', async (t) => {
  const cache = await cacheHome(t);
  const first = await runCli(['explain', 'key-mismatch'], env(cache));
  t.is(first.exitCode, 0);
  const folder = join(cache, 'kubectl-apigee_tls');
  const files = await readdir(folder);
  t.is(files.length, 1);
  t.regex(files[0]!, new RegExp(`^v8-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`));
  t.is((await stat(folder)).mode & 0o777, 0o700);
  t.is((await stat(join(folder, files[0]!))).mode & 0o777, 0o600);
  const second = await runCli(['explain', 'key-mismatch'], env(cache));
  t.deepEqual(second, first);
  t.deepEqual(await readdir(folder), files, 'an accepted cache is not rewritten');
});

test('a damaged cache is rejected and rewritten; the run is unaffected', async (t) => {
  const cache = await cacheHome(t);
  const reference = await runCli(['explain'], env(cache));
  const folder = join(cache, 'kubectl-apigee_tls');
  const [file] = await readdir(folder);
  await writeFile(join(folder, file!), Buffer.from('not a V8 code cache'));
  const damaged = await runCli(['explain'], env(cache));
  t.deepEqual(damaged, reference);
  t.true((await readFile(join(folder, file!))).length > 1000, 'rewritten with real compiled code');
});

test('an unwritable cache location costs nothing but time: same output, no error', async (t) => {
  const cache = await cacheHome(t);
  // XDG_CACHE_HOME names a file: no folder can be made under it.
  const blocked = join(cache, 'a-file');
  await writeFile(blocked, '');
  const r = await runCli(['explain', 'chain-order'], env(blocked));
  t.is(r.exitCode, 0);
  t.is(r.stderr, '');
  t.true(r.stdout.startsWith('chain-order (fail)\n'));
  const off = await runCli(['explain', 'chain-order'], { ...env(blocked), APIGEE_TLS_NO_CODE_CACHE: '1' });
  t.deepEqual(off, r);
});
