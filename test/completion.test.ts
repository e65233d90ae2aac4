// Shell completion: the __complete protocol kubectl 1.26+ speaks to kubectl_complete-apigee_tls,
// and the bash script of `completion bash`, driven by a real bash.
import test from 'ava';
import { execa } from 'execa';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, runCli, withCluster } from './helpers/cluster.js';
import { reliabilityCluster } from './helpers/reliability.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() };
const complete = async (...words: string[]) => {
  const r = await runCli(['__complete', ...words], env);
  return { code: r.exitCode, lines: r.stdout.trimEnd().split('\n') };
};

test('__complete: command names, filtered by the word typed, and no file completion', async (t) => {
  t.deepEqual(await complete(''), { code: 0, lines: ['diagnose', 'check', 'probe', 'collect', 'explain', 'serve', 'demo', 'version', 'completion', ':4'] });
  t.deepEqual(await complete('c'), { code: 0, lines: ['check', 'collect', 'completion', ':4'] });
});

test("__complete: a command's flags, long and short", async (t) => {
  t.deepEqual(await complete('diagnose', '--na'), { code: 0, lines: ['--namespace', ':4'] });
  t.deepEqual(await complete('probe', '--no'), { code: 0, lines: ['--no-sni', ':4'] });
  const all = await complete('check', '-');
  t.true(all.lines.includes('--cert') && all.lines.includes('-o') && all.lines.includes('--expiry-warning'));
  t.false(all.lines.includes('--namespace'), 'check takes no cluster flags');
});

test('__complete: choices after -o, file completion after a path flag, nothing for free text', async (t) => {
  t.deepEqual(await complete('diagnose', '-o', ''), { code: 0, lines: ['text', 'json', 'yaml', ':4'] });
  t.deepEqual(await complete('diagnose', '--output', 'j'), { code: 0, lines: ['json', ':4'] });
  t.deepEqual(await complete('check', '--cert', ''), { code: 0, lines: [':0'] });
  t.deepEqual(await complete('diagnose', '--org', ''), { code: 0, lines: [':4'] });
  t.deepEqual(await complete('nosuch', ''), { code: 0, lines: [':4'] });
});

test('completion bash: a real bash completes commands and flags through __complete', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-completion-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bin = join(dir, 'kubectl-apigee_tls');
  await writeFile(bin, `#!/bin/sh\nexec "${process.execPath}" "${BUNDLE}" "$@"\n`);
  await chmod(bin, 0o755);
  const script = (await runCli(['completion', 'bash'], env)).stdout;
  await writeFile(join(dir, 'completion.bash'), script);
  const drive = (words: string[]) =>
    execa(
      'bash',
      [
        '-c',
        `source ${join(dir, 'completion.bash')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _kubectl_apigee_tls; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      {
        env: { ...env, PATH: `${dir}:${env.PATH}` },
      },
    );
  t.is((await drive(['kubectl-apigee_tls', 'dia'])).stdout, 'diagnose');
  t.is((await drive(['kubectl-apigee_tls', 'diagnose', '--all-'])).stdout, '');
  t.is((await drive(['kubectl-apigee_tls', 'diagnose', '-o', 'y'])).stdout, 'yaml');
  t.is((await execa('bash', ['-n', join(dir, 'completion.bash')])).exitCode, 0);
});

test('completion zsh prints a script that loads bash completion; an unknown shell is a usage error', async (t) => {
  const zsh = await runCli(['completion', 'zsh'], env);
  t.is(zsh.exitCode, 0);
  t.true(zsh.stdout.includes('autoload -U +X bashcompinit && bashcompinit'));
  t.true(zsh.stdout.includes('complete -F _kubectl_apigee_tls kubectl-apigee_tls'));
  const fish = await runCli(['completion', 'fish'], env);
  t.is(fish.exitCode, 0);
  t.true(fish.stdout.includes("complete -c kubectl-apigee_tls -f -a '(_kubectl_apigee_tls)'"), fish.stdout);
  const tcsh = await runCli(['completion', 'tcsh'], env);
  t.is(tcsh.exitCode, 2);
  t.is(tcsh.stderr.split('\n')[0], 'error: invalid --shell "tcsh": choose "bash", "zsh", "fish"');
});

test('__complete and a real bash complete env group names, contexts and namespaces from the simulated cluster', async (t) => {
  const s = reliabilityCluster();
  const c = await withCluster(s.objects, s.logs);
  t.teardown(() => c.close());
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-completion-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ask = async (...words: string[]) => (await runCli(['__complete', ...words], c.env)).stdout.trimEnd().split('\n');
  // ApigeeRouteConfigs acme-gone and acme-prod; acme-bare has no route config.
  t.deepEqual(await ask('diagnose', ''), ['gone', 'prod', ':4']);
  t.deepEqual(await ask('collect', '-n', 'apigee', 'p'), ['prod', ':4']);
  t.deepEqual(await ask('probe', 'h', '--envgroup', ''), ['gone', 'prod', ':4']);
  t.deepEqual(await ask('diagnose', '--context', ''), ['apigee-sim', ':4']);
  t.deepEqual(await ask('diagnose', 'prod', '-n', 'api'), ['apigee', ':4']);
  t.deepEqual(await ask('diagnose', 'prod', ''), [':4']);
  t.deepEqual(await ask('diagnose', '--ignore', 'key-'), ['key-mismatch', ':4']);
  // A context that does not exist: no candidates, promptly.
  t.deepEqual(await ask('diagnose', '--context', 'nope', ''), [':4']);

  const bin = join(dir, 'kubectl-apigee_tls');
  await writeFile(bin, `#!/bin/sh\nexec "${process.execPath}" "${BUNDLE}" "$@"\n`);
  await chmod(bin, 0o755);
  await writeFile(join(dir, 'completion.bash'), (await runCli(['completion', 'bash'], env)).stdout);
  const r = await execa(
    'bash',
    [
      '-c',
      `source ${join(dir, 'completion.bash')}; COMP_WORDS=(kubectl-apigee_tls diagnose pr); COMP_CWORD=2; _kubectl_apigee_tls; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { env: { ...c.env, PATH: `${dir}:${c.env.PATH}` }, extendEnv: false },
  );
  t.is(r.stdout, 'prod');
});
