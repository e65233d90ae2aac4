// README.txt of the archive: what it holds, how each file was collected, and what support still
// needs from the user (the playbook's "gather diagnostic information": curl -v, a capture with
// addresses removed, the network topology). Pure.
import type { Result } from '../report/finding.js';
import type { BundleFile } from './bundle.js';

export interface ReadmeInput {
  envgroup: string;
  org?: string;
  namespace: string;
  context?: string;
  collectedAt: Date;
  /** How the user runs the plugin, e.g. "kubectl apigee-tls". */
  program: string;
  /** e.g. "0.1.0 (commit abc)". */
  version: string;
  result: Result;
  /** false with --no-redact. */
  redacted: boolean;
  /** The env group's hostnames (or --host), for the curl and tcpdump commands. */
  hosts: string[];
  /** Every other file of the archive. */
  files: BundleFile[];
  /** What could not be collected, one line each. */
  gaps: string[];
}

const RESULT_TEXT: Record<Result, string> = {
  healthy: 'healthy (no check failed)',
  'problems-found': 'problems found (see diagnosis.txt)',
  incomplete: 'incomplete (some checks could not run; see diagnosis.txt)',
};

const PORT = 443;

/** Hosts a client would connect to: no wildcards. */
function concreteHosts(hosts: readonly string[]): string[] {
  return [...new Set(hosts.filter((h) => !h.includes('*')))];
}

/** The capture filter: the env group's hosts on the TLS port. */
export function tcpdumpFilter(hosts: readonly string[]): string {
  const concrete = concreteHosts(hosts);
  const list = concrete.length ? concrete : ['HOSTNAME'];
  const host = list.length === 1 ? `host ${list[0]}` : `(${list.map((h) => `host ${h}`).join(' or ')})`;
  return `${host} and tcp port ${PORT}`;
}

function indent(lines: readonly string[], by = 4): string[] {
  return lines.map((l) => (l === '' ? '' : `${' '.repeat(by)}${l}`));
}

function redactionSection(redacted: boolean): string[] {
  if (!redacted) {
    return [
      'REDACTION WAS TURNED OFF (--no-redact)',
      '  IP addresses, bearer tokens, Authorization/Cookie headers and token fields are kept as the',
      '  cluster printed them. Review every file before you share this archive. Private keys are',
      '  still never collected.',
    ];
  }
  return [
    'Redaction',
    '  Every IP address (IPv4 and IPv6) was replaced by a placeholder such as <private-ipv4-1> or',
    '  <public-ipv6-2>; the same address has the same placeholder in every file, so you can refer to',
    '  them in the topology below. Bearer tokens, JWTs, Authorization and Cookie headers, and token,',
    '  password and api-key fields were removed. Private keys are never collected: the secret appears',
    '  only as metadata (key names, sizes, certificate subjects, SANs, dates, fingerprints).',
  ];
}

function needsSection(hosts: readonly string[], program: string): string[] {
  const concrete = concreteHosts(hosts);
  const host = concrete[0] ?? 'HOSTNAME';
  const filter = tcpdumpFilter(hosts);
  return [
    'What support still needs from you',
    '',
    '1. The complete `curl -v` output showing the error, run from the failing client:',
    '',
    ...indent([`curl -v https://${host}/ 2>&1 | tee curl-v.txt`]),
    '',
    '   Remove Authorization and Cookie headers from it before you send it. The plugin can',
    '   classify it for you first:',
    '',
    ...indent([`${program} probe --from-curl-log curl-v.txt`]),
    '',
    '2. A packet capture from the failing client, with IP addresses removed. Start it, repeat the',
    '   failing request, then stop it with Ctrl-C:',
    '',
    ...indent([`sudo tcpdump -i any -s 0 -w apigee-tls.pcap '${filter}'`]),
    '',
    `   (tcpdump resolves ${concrete.length > 1 ? 'the names' : 'the name'} once when it starts; if the client connects to a different`,
    '   address, e.g. through a proxy, use that address instead.) Then replace every IPv4 and IPv6',
    '   address with a consistent pseudo-random one (tcprewrite is part of tcpreplay):',
    '',
    ...indent(['tcprewrite --seed=$RANDOM --infile=apigee-tls.pcap --outfile=apigee-tls-anon.pcap']),
    '',
    '   and send apigee-tls-anon.pcap only. A TLS capture shows the server name (SNI) and the',
    '   certificates, which are public; request and response bodies stay encrypted.',
    '',
    '3. The network topology and traffic flow, from the failing client to the Apigee ingress',
    '   gateway: every hop in between (DNS answers, load balancers, proxies, firewalls, CDN or WAF),',
    '   whether each hop passes TLS through or terminates it with a certificate of its own, the',
    "   ingress gateway's Service type and external address, and where the failing client runs",
    '   (inside the cluster, the same VPC, on premises, the internet). Where it helps, name',
    '   addresses by the placeholders used in this archive.',
  ];
}

function filesSection(files: readonly BundleFile[]): string[] {
  const lines = ['Files, and the commands that collected them', ''];
  for (const f of files) {
    lines.push(`${f.path}`, `    ${f.about}`);
    for (const c of f.commands) lines.push(`    $ ${c}`);
    lines.push('');
  }
  return lines;
}

export function readmeText(input: ReadmeInput): string {
  const where = [`namespace ${input.namespace}`, ...(input.context ? [`context ${input.context}`] : []), ...(input.org ? [`org ${input.org}`] : [])].join(', ');
  const lines = [
    `Apigee ingress TLS diagnostics for env group ${input.envgroup}`,
    '',
    `Collected ${input.collectedAt.toISOString()} by ${input.program} ${input.version}`,
    `from ${where}.`,
    `Diagnosis: ${RESULT_TEXT[input.result]}.`,
    '',
    ...redactionSection(input.redacted),
    '',
    ...needsSection(input.hosts, input.program),
    '',
    ...filesSection(input.files),
  ];
  if (input.gaps.length) lines.push('Not collected', ...[...input.gaps].sort().map((g) => `  - ${g}`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
