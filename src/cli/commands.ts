// The command table: names, descriptions and flags as CONTRACT.md fixes them. Parsing only: each
// command's work lives in its own file, loaded when that command runs (start-up stays fast).
import type { Argv } from 'yargs';

export type CommandName = 'check' | 'diagnose' | 'probe' | 'collect' | 'explain' | 'serve' | 'demo' | 'version' | 'completion';

export type Args = Record<string, unknown> & { _: (string | number)[] };

export interface ParsedCommand {
  command: CommandName;
  args: Args;
}

const output = (y: Argv) =>
  y
    .option('output', { alias: 'o', choices: ['text', 'json', 'yaml'] as const, default: 'text', describe: 'Output format', group: 'Output:' })
    .option('color', {
      type: 'boolean',
      default: true,
      describe: 'Colour the text report on a terminal (--no-color or NO_COLOR to turn off)',
      group: 'Output:',
    })
    .option('verbose', {
      alias: 'v',
      type: 'boolean',
      default: false,
      describe: "Print each kubectl and openssl command as it runs (to stderr); kubectl's -v=N is accepted: any level turns this on",
      group: 'Output:',
    })
    .option('openssl', { type: 'string', describe: 'Path of the openssl binary', default: 'openssl', group: 'Tools:' })
    .option('timeout', { type: 'string', default: '60s', describe: 'Deadline for the whole run; past it the run ends as incomplete', group: 'Output:' });

const cluster = (y: Argv) =>
  output(y)
    .option('namespace', { alias: 'n', type: 'string', default: 'apigee', describe: 'The Apigee namespace', group: 'Cluster:' })
    .option('context', { type: 'string', describe: 'The kubeconfig context to use (diagnose: repeatable or a,b,c, every one at once)', group: 'Cluster:' })
    .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file', group: 'Cluster:' })
    .option('request-timeout', { type: 'string', default: '20s', describe: 'Passed to every kubectl call', group: 'Cluster:' })
    .option('kubectl', { type: 'string', default: 'kubectl', describe: 'Path of the kubectl binary', group: 'Tools:' })
    .option('org', { type: 'string', describe: 'Apigee organization (default: discovered)', group: 'Apigee:' })
    .option('overrides', { type: 'string', describe: 'overrides.yaml of the install (org, virtualhosts)', group: 'Apigee:' });

/** CONTRACT "Added later": for CI and monitoring, on diagnose, check and probe. */
const policy = (y: Argv) =>
  y
    .option('fail-on', {
      choices: ['fail', 'warn'] as const,
      default: 'fail',
      describe: 'Exit 1 on a failing check (fail), or on a warning too (warn)',
      group: 'Output:',
    })
    .option('ignore', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Report findings of this cause id as skip, not counted (repeatable)',
      group: 'Output:',
    });

const expiry = (y: Argv) => y.option('expiry-warning', { type: 'string', default: '14d', describe: 'Warn when a certificate expires within this long' });

const hosts = (y: Argv, what: string) => y.option('host', { type: 'string', array: true, default: [] as string[], describe: what });

export interface CommandSpec {
  name: CommandName;
  usage: string;
  describe: string;
  builder: (y: Argv) => Argv;
}

/** Every command, in the order help lists them. Completion reads the same table. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'diagnose',
    usage: 'diagnose [envgroup]',
    describe: 'Run the playbook for an env group against the current cluster: missing secret, malformed certificate, key mismatch, and beyond',
    builder: (c) =>
      hosts(expiry(policy(cluster(c))), 'A hostname of the env group to check against the certificate (repeatable)')
        .positional('envgroup', { type: 'string', describe: 'The Apigee environment group' })
        .option('all', { type: 'boolean', default: false, describe: 'Diagnose every env group found in the namespace' })
        .option('since', { type: 'string', default: '1h', describe: 'How far back to read apigee-watcher logs' })
        .option('tail', { type: 'number', default: 10000, describe: 'At most this many log lines per watcher container (-1: all)' })
        .example('$0 diagnose prod-group', 'Diagnose env group prod-group in namespace apigee')
        .example('$0 diagnose --all -o json', 'Every env group, as a DiagnosisList'),
  },
  {
    name: 'check',
    usage: 'check',
    describe: "Check a certificate and key from local files (the playbook's option 1), no cluster needed",
    builder: (c) =>
      hosts(expiry(policy(output(c))), 'A hostname the certificate must cover (repeatable)')
        .option('cert', { type: 'string', describe: 'PEM certificate chain file (leaf first)' })
        .option('key', { type: 'string', describe: 'PEM private key file' })
        .option('ca', { type: 'string', describe: 'CA certificate file (a trust anchor for the chain)' })
        .option('overrides', { type: 'string', describe: 'overrides.yaml: check the files its virtualhosts[] point to' })
        .option('envgroup', { type: 'string', describe: 'With --overrides: only this virtual host' })
        .example('$0 check --cert tls.crt --key tls.key --host api.example.com', 'Check a pair of files')
        .example('$0 check --overrides overrides.yaml --envgroup prod-group', 'Check the files an overrides.yaml names'),
  },
  {
    name: 'probe',
    usage: 'probe [target]',
    describe: 'Make a TLS handshake with a host (as curl would) and name how it fails, or classify a pasted curl -v transcript',
    builder: (c) =>
      expiry(policy(cluster(c)))
        .positional('target', { type: 'string', describe: 'HOST[:PORT] (port 443 by default)' })
        .option('sni', { type: 'string', describe: 'The server name to send (default: the host)' })
        .option('no-sni', { type: 'boolean', describe: 'Send no server name, like a non-SNI client' })
        .option('connect-to', { type: 'string', describe: 'Dial this IP[:PORT] (e.g. the ingress load balancer) while presenting the host' })
        .option('ca', { type: 'string', describe: 'A CA certificate file to trust instead of the system roots (a private CA)' })
        .option('cert', { type: 'string', requiresArg: true, describe: 'A client certificate to present (mutual TLS), with --key' })
        .option('key', { type: 'string', requiresArg: true, describe: 'The unencrypted private key of --cert (read once, never shown)' })
        .option('handshake-timeout', {
          type: 'string',
          default: '10s',
          describe: 'How long to wait for the TCP connection, then for the handshake (within --timeout)',
        })
        .option('envgroup', { type: 'string', describe: "Compare the served certificate with this env group's secret" })
        .option('from-curl-log', {
          type: 'string',
          requiresArg: true,
          describe: 'Classify a saved `curl -v` transcript (FILE, or - for stdin) instead of connecting',
        })
        .example('$0 probe api.example.com', 'Handshake with api.example.com:443, SNI api.example.com')
        .example('$0 probe api.example.com --connect-to 203.0.113.10 --envgroup prod-group', 'Through the ingress IP, compared with the secret')
        .example('$0 probe api.example.com --cert client.crt --key client.key', 'Mutual TLS: present a client certificate')
        .example('curl -v https://api.example.com 2>&1 | $0 probe --from-curl-log -', 'Classify a curl transcript'),
  },
  {
    name: 'collect',
    usage: 'collect [envgroup]',
    describe: "Gather the playbook's diagnostic information for support into one redacted .tar.gz",
    builder: (c) =>
      hosts(expiry(cluster(c)), 'Also probe this hostname and include the result')
        .positional('envgroup', { type: 'string', describe: 'The Apigee environment group' })
        .option('out', { type: 'string', requiresArg: true, describe: 'Archive to write (default apigee-tls-<envgroup>-<time>.tar.gz)' })
        .option('force', { type: 'boolean', default: false, describe: 'Overwrite --out if it exists' })
        .option('redact', {
          type: 'boolean',
          default: true,
          describe: 'Replace IP addresses, drop tokens (--no-redact keeps addresses; keys are never included)',
        })
        .option('since', { type: 'string', default: '1h', describe: 'How far back to collect logs' })
        .option('tail', { type: 'number', default: 10000, describe: 'At most this many log lines per container' })
        .example('$0 collect prod-group --host api.example.com', 'Write apigee-tls-prod-group-<time>.tar.gz for a support case'),
  },
  {
    name: 'explain',
    usage: 'explain [cause]',
    describe: 'What a cause id means, how it is decided and fixed; with no argument, every cause and every check (offline)',
    builder: (c) =>
      c
        .positional('cause', { type: 'string', describe: 'A cause id (or a check id)' })
        .example('$0 explain key-mismatch', 'The key-mismatch entry of the cause catalog')
        .example('$0 explain', 'Every cause id and every check, by command'),
  },
  {
    name: 'serve',
    usage: 'serve',
    describe: 'Prometheus exporter: every --interval, diagnose --all in each --context; the results at /metrics (read-only)',
    builder: (c) =>
      expiry(c)
        .option('context', { type: 'string', describe: 'A kubeconfig context to diagnose (repeatable or a,b,c; default: the current one)', group: 'Cluster:' })
        .option('namespace', { alias: 'n', type: 'string', default: 'apigee', describe: 'The Apigee namespace', group: 'Cluster:' })
        .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file', group: 'Cluster:' })
        .option('request-timeout', { type: 'string', default: '20s', describe: 'Passed to every kubectl call', group: 'Cluster:' })
        .option('kubectl', { type: 'string', default: 'kubectl', describe: 'Path of the kubectl binary', group: 'Tools:' })
        .option('openssl', { type: 'string', describe: 'Path of the openssl binary', default: 'openssl', group: 'Tools:' })
        .option('org', { type: 'string', describe: 'Apigee organization (default: discovered)', group: 'Apigee:' })
        .option('overrides', { type: 'string', describe: 'overrides.yaml of the install (org, virtualhosts)', group: 'Apigee:' })
        .option('interval', { type: 'string', default: '5m', describe: 'How often to run the diagnosis' })
        .option('listen', { type: 'string', default: ':9464', describe: 'HOST:PORT to serve /metrics and /healthz on' })
        .option('timeout', { type: 'string', default: '4m', describe: 'Deadline of each run; past it the run counts as failed' })
        .option('since', { type: 'string', default: '1h', describe: 'How far back to read apigee-watcher logs' })
        .option('tail', { type: 'number', default: 10000, describe: 'At most this many log lines per watcher container (-1: all)' })
        .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Print each kubectl and openssl command as it runs (to stderr)' })
        .example('$0 serve --context us-east,eu-west --listen :9464', 'Export both regions every 5 minutes'),
  },
  {
    name: 'demo',
    usage: 'demo',
    describe: 'Start the built-in simulated Apigee cluster on 127.0.0.1 and diagnose its env groups',
    builder: (c) =>
      expiry(output(c))
        .option('request-timeout', { type: 'string', default: '20s', describe: 'Passed to every kubectl call', group: 'Cluster:' })
        .option('kubectl', { type: 'string', default: 'kubectl', describe: 'Path of the kubectl binary', group: 'Tools:' }),
  },
  {
    name: 'version',
    usage: 'version',
    describe: 'Print the plugin version, commit, Node runtime, the kubectl and openssl found, and the cluster and Apigee components when reachable',
    builder: (c) =>
      output(c)
        .option('namespace', { alias: 'n', type: 'string', default: 'apigee', describe: 'The Apigee namespace', group: 'Cluster:' })
        .option('context', { type: 'string', describe: 'The kubeconfig context to use', group: 'Cluster:' })
        .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file', group: 'Cluster:' })
        .option('request-timeout', { type: 'string', default: '5s', describe: 'Passed to every kubectl call', group: 'Cluster:' })
        .option('kubectl', { type: 'string', default: 'kubectl', describe: 'Path of the kubectl binary', group: 'Tools:' }),
  },
  {
    name: 'completion',
    usage: 'completion <shell>',
    describe: 'Print a bash, zsh or fish completion script (kubectl 1.26+ uses the kubectl_complete-apigee_tls helper instead)',
    builder: (c) => c.positional('shell', { choices: ['bash', 'zsh', 'fish'] as const, describe: 'The shell' }),
  },
];
