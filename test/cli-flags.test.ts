// kubectl's flag forms (attached short values, -o=json, --namespace=apigee, -v=N), `help <command>`,
// `<command> --help`, and usage errors worded as kubectl words them, pointing at the command's help.
import test from 'ava';
import { parse } from 'yaml';
import { kubectlForms } from '../src/cli/argv.js';
import { COMMANDS } from '../src/cli/commands.js';
import { runCli, withCluster, type Cluster } from './helpers/cluster.js';
import { HEALTHY, reliabilityCluster } from './helpers/reliability.js';
import { run, verdicts, type DiagnosisJson } from './helpers/scenarios.js';

let shared: Promise<Cluster> | undefined;
const cluster = (_t: unknown): Promise<Cluster> => {
  const r = reliabilityCluster();
  shared ??= withCluster(r.objects, r.logs);
  return shared;
};
test.after.always(async () => (await shared)?.close());

const FORMS: string[][] = [
  ['-ojson'],
  ['-o=json'],
  ['--output=json'],
  ['-ojson', '-napigee'],
  ['-o', 'json', '-n=apigee'],
  ['--output', 'json', '--namespace=apigee'],
];

for (const form of FORMS) {
  test(`diagnose prod ${form.join(' ')}: one JSON document, healthy, exit 0`, async (t) => {
    const c = await cluster(t);
    const r = await run(t, c, ['diagnose', 'prod', ...form]);
    t.is(r.exitCode, 0, r.stderr);
    const d = JSON.parse(r.stdout) as DiagnosisJson;
    t.is(d.kind, 'Diagnosis');
    t.is(d.target.namespace, 'apigee');
    t.deepEqual(verdicts(d), [...HEALTHY]);
  });
}

test('diagnose prod -oyaml: the same document in YAML', async (t) => {
  const c = await cluster(t);
  const r = await run(t, c, ['diagnose', 'prod', '-oyaml']);
  t.is(r.exitCode, 0, r.stderr);
  const d = parse(r.stdout) as DiagnosisJson;
  t.is(d.kind, 'Diagnosis');
  t.deepEqual(verdicts(d), [...HEALTHY]);
});

for (const verbose of [['-v'], ['-v=6'], ['--v=6'], ['-v', '6'], ['-v9']]) {
  test(`${verbose.join(' ')} turns on --verbose (any level): each kubectl command on stderr`, async (t) => {
    const c = await cluster(t);
    const r = await run(t, c, ['diagnose', 'prod', '-ojson', ...verbose]);
    t.is(r.exitCode, 0, r.stderr);
    t.true(r.stderr.split('\n').includes('+ kubectl -n apigee get secrets,apigeerouteconfigs -o json --show-managed-fields'), r.stderr);
    t.is((JSON.parse(r.stdout) as DiagnosisJson).result, 'healthy');
  });
}

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', NO_COLOR: '1' };

test('help diagnose prints what diagnose --help prints', async (t) => {
  const [help, flag] = await Promise.all([runCli(['help', 'diagnose'], env), runCli(['diagnose', '--help'], env)]);
  t.is(help.exitCode, 0, help.stderr);
  t.is(help.stdout, flag.stdout);
  t.true(help.stdout.startsWith('kubectl apigee-tls diagnose [envgroup]\n'), help.stdout);
  t.regex(help.stdout, /-v, --verbose .*any level/s);
});

for (const spec of COMMANDS) {
  test(`${spec.name} --help and -h: its own usage, every flag described, exit 0`, async (t) => {
    for (const flag of ['--help', '-h']) {
      const r = await runCli([spec.name, flag], env);
      t.is(r.exitCode, 0, r.stderr);
      t.true(r.stdout.startsWith(`kubectl apigee-tls ${spec.usage}\n`), r.stdout);
      // yargs prints a flag line without a description as the flag and its type only.
      t.deepEqual(
        r.stdout.split('\n').filter((l) => /^\s+(-\w, )?--[\w-]+\s+\[\w+\]/.test(l)),
        [],
        'a flag without a description',
      );
    }
  });
}

const USAGE: Array<[string[], string]> = [
  [
    ['diagnose', 'prod', '--namspace', 'apigee'],
    "error: unknown flag: --namspace (did you mean --namespace?)\nSee 'kubectl apigee-tls diagnose --help' for usage.\n",
  ],
  [['check', '--certt', 'a.crt'], "error: unknown flag: --certt (did you mean --cert?)\nSee 'kubectl apigee-tls check --help' for usage.\n"],
  [['diagnose', 'prod', '--tial=5'], "error: unknown flag: --tial (did you mean --tail?)\nSee 'kubectl apigee-tls diagnose --help' for usage.\n"],
  [['diagnose', 'prod', '-o'], "error: flag needs an argument: -o\nSee 'kubectl apigee-tls diagnose --help' for usage.\n"],
  [['diagnose', 'prod', '--context'], "error: flag needs an argument: --context\nSee 'kubectl apigee-tls diagnose --help' for usage.\n"],
  [['diagnose', 'prod', '-oxml'], 'error: invalid --output "xml": choose "text", "json", "yaml"\nSee \'kubectl apigee-tls diagnose --help\' for usage.\n'],
  [['check', 'a.crt'], 'error: unexpected argument "a.crt"\nSee \'kubectl apigee-tls check --help\' for usage.\n'],
  [['diagnoze', 'prod'], 'error: unknown command "diagnoze" for "kubectl apigee-tls" (did you mean diagnose?)\nSee \'kubectl apigee-tls --help\' for usage.\n'],
  [['hlep', 'diagnose'], 'error: unknown command "hlep" for "kubectl apigee-tls" (did you mean help?)\nSee \'kubectl apigee-tls --help\' for usage.\n'],
  [
    ['diagnose'],
    "error: which env group? give its name (kubectl apigee-tls diagnose ENVGROUP) or --all\nSee 'kubectl apigee-tls diagnose --help' for usage.\n",
  ],
];

for (const [args, stderr] of USAGE) {
  test(`usage error: ${args.join(' ')}`, async (t) => {
    const r = await runCli(args, env);
    t.is(r.exitCode, 2);
    t.is(r.stdout, '');
    t.is(r.stderr, stderr);
  });
}

test('kubectlForms: attached values split, levels become --verbose, nothing after -- is touched', (t) => {
  const shorts = new Set(['o', 'n']);
  t.deepEqual(kubectlForms(['diagnose', 'x', '-ojson', '-napigee', '-o=yaml', '-v=6'], shorts), [
    'diagnose',
    'x',
    '-o',
    'json',
    '-n',
    'apigee',
    '-o',
    'yaml',
    '--verbose',
  ]);
  t.deepEqual(kubectlForms(['help'], shorts), ['--help']);
  t.deepEqual(kubectlForms(['help', 'probe', '-ojson'], shorts), ['probe', '--help', '-o', 'json']);
  t.deepEqual(kubectlForms(['check', '-v', 'x'], shorts), ['check', '--verbose', 'x']);
  t.deepEqual(kubectlForms(['diagnose', '--', '-ojson', '-v=2'], shorts), ['diagnose', '--', '-ojson', '-v=2']);
});
