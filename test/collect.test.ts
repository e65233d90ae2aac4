// `collect`: the pure parts (tar writer, secret metadata, README, bundle) and the built bundle end
// to end against the simulator: archive contents, redaction of planted addresses, tokens and keys
// in logs and objects, the archive's mode, --force, --no-redact, and the leak canary.
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { archiveRoot, defaultArchiveName, NO_REDACT_WARNING } from '../src/cli/collect.js';
import { Bundle } from '../src/collect/bundle.js';
import { readmeText, tcpdumpFilter } from '../src/collect/readme.js';
import { KEY_MARKER, REDACTED, Redactor } from '../src/collect/redact.js';
import { secretMetadata } from '../src/collect/secret-metadata.js';
import { tar, tarGz, tarPathProblem } from '../src/collect/tar.js';
import { apigeeCluster, GATEWAY_CONTAINERS, tlsSecret, type K8sObject } from '../src/sim/index.js';
import { BUNDLE, clusterFor, leakedKeyLines, type Cluster, type RunResult } from './helpers/cluster.js';
import { fullChain, plant, plantedKeys, rootCa, rsaKey, run } from './helpers/scenarios.js';
import { logLines } from './helpers/log-stamps.js';

const tempDir = async (t: { teardown(fn: () => Promise<void>): void }): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'apigee-tls-collect-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

/** Every regular file under `dir`, relative path → text. */
async function readTree(dir: string, prefix = ''): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of await readTree(dir, rel)) files.set(k, v);
    else files.set(rel, await readFile(join(dir, rel), 'utf8'));
  }
  return files;
}

async function extract(archive: string, into: string): Promise<Map<string, string>> {
  await mkdir(into, { recursive: true });
  await execa('tar', ['-xzf', archive, '-C', into]);
  return readTree(into);
}

// ---------------------------------------------------------------------------------------------
// The tar writer

test('tar round trip: GNU tar extracts exactly what was written, long paths included', async (t) => {
  const dir = await tempDir(t);
  const long = `bundle/logs/${'apigee-ingressgateway-apigee-ingress-acme-822b33a-abb1-bjccv'.repeat(2)}/${'istio-proxy'.repeat(4)}.log`;
  const entries = [
    { path: 'bundle/README.txt', content: Buffer.from('hello\n') },
    { path: 'bundle/empty.txt', content: Buffer.alloc(0) },
    { path: 'bundle/one.bin', content: Buffer.from([0]) },
    { path: 'bundle/511.txt', content: Buffer.alloc(511, 'a') },
    { path: 'bundle/512.txt', content: Buffer.alloc(512, 'b') },
    { path: 'bundle/513.txt', content: Buffer.alloc(513, 'c') },
    { path: 'bundle/deep/er/file.bin', content: Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256)) },
    { path: long, content: Buffer.from('long path\n') },
  ];
  t.true(long.length > 100);
  const archive = join(dir, 'a.tar.gz');
  await writeFile(archive, tarGz(entries, new Date('2025-01-02T03:04:05Z')));
  const out = join(dir, 'x');
  await mkdir(out);
  await execa('tar', ['-xzf', archive, '-C', out]);
  for (const e of entries) t.deepEqual(await readFile(join(out, e.path)), e.content, e.path);
  const listing = await execa('tar', ['-tvzf', archive], { env: { TZ: 'UTC', LC_ALL: 'C' } });
  t.deepEqual(
    listing.stdout.split('\n').map((l) => l.split(/\s+/)),
    entries.map((e) => ['-rw-r--r--', '0/0', String(e.content.length), '2025-01-02', '03:04', e.path]),
  );
});

test('tar: the same entries and time give the same bytes, in whole 10240-byte records', (t) => {
  const entries = [{ path: 'a/b.txt', content: Buffer.from('x') }];
  const when = new Date('2025-01-02T03:04:05Z');
  t.deepEqual(tarGz(entries, when), tarGz(entries, when));
  t.is(tar(entries, when).length, 10240);
  t.is(tar([], when).length, 10240);
});

test('tar: unsafe paths are refused', (t) => {
  t.deepEqual(['../x', '/abs', 'a//b', 'a/./b', 'a b', 'a\\b', '', 'ok/file-1_2.txt'].map(tarPathProblem), [
    'archive path "../x" has a . or .. part',
    'unsafe archive path "/abs"',
    'unsafe archive path "a//b"',
    'archive path "a/./b" has a . or .. part',
    'unsafe archive path "a b"',
    'unsafe archive path "a\\\\b"',
    'unsafe archive path ""',
    null,
  ]);
  t.throws(() => tar([{ path: '../evil', content: Buffer.alloc(0) }], new Date()), { message: 'archive path "../evil" has a . or .. part' });
});

// ---------------------------------------------------------------------------------------------
// Pure parts: names, README, secret metadata, bundle

test('the default archive name is apigee-tls-<envgroup>-<UTC time>.tar.gz; its folder is the name', (t) => {
  t.is(defaultArchiveName('prod', new Date('2025-01-02T03:04:05.678Z')), 'apigee-tls-prod-20250102T030405.tar.gz');
  t.deepEqual(
    ['apigee-tls-prod-20250102T030405.tar.gz', '/tmp/x/case 42.tgz', 'out.tar', '.tar.gz'].map((o) => archiveRoot(o, 'prod')),
    ['apigee-tls-prod-20250102T030405', 'case_42', 'out', 'apigee-tls-prod'],
  );
});

test('the tcpdump filter names the hosts on port 443 and never a wildcard', (t) => {
  t.is(tcpdumpFilter(['api.example.com']), 'host api.example.com and tcp port 443');
  t.is(tcpdumpFilter(['a.example.com', '*.example.com', 'b.example.com', 'a.example.com']), '(host a.example.com or host b.example.com) and tcp port 443');
  t.is(tcpdumpFilter(['*.example.com']), 'host HOSTNAME and tcp port 443');
});

test('README.txt tells what support still needs and how each file was collected', (t) => {
  const text = readmeText({
    envgroup: 'prod',
    org: 'acme',
    namespace: 'apigee',
    context: 'gke_x',
    collectedAt: new Date('2025-01-02T03:04:05Z'),
    program: 'kubectl apigee-tls',
    version: '1.2.3 (commit abc)',
    result: 'problems-found',
    redacted: true,
    hosts: ['api.example.com'],
    files: [{ path: 'diagnosis.txt', about: 'The diagnosis.', commands: ['kubectl apigee-tls diagnose prod'] }],
    gaps: ['z: later', 'a: first'],
  });
  const lines = text.split('\n');
  t.deepEqual(lines.slice(0, 5), [
    'Apigee ingress TLS diagnostics for env group prod',
    '',
    'Collected 2025-01-02T03:04:05.000Z by kubectl apigee-tls 1.2.3 (commit abc)',
    'from namespace apigee, context gke_x, org acme.',
    'Diagnosis: problems found (see diagnosis.txt).',
  ]);
  for (const expected of [
    '    curl -v https://api.example.com/ 2>&1 | tee curl-v.txt',
    '    kubectl apigee-tls probe --from-curl-log curl-v.txt',
    "    sudo tcpdump -i any -s 0 -w apigee-tls.pcap 'host api.example.com and tcp port 443'",
    '    tcprewrite --seed=$RANDOM --infile=apigee-tls.pcap --outfile=apigee-tls-anon.pcap',
    '3. The network topology and traffic flow, from the failing client to the Apigee ingress',
    'diagnosis.txt',
    '    The diagnosis.',
    '    $ kubectl apigee-tls diagnose prod',
  ]) {
    t.true(lines.includes(expected), expected);
  }
  t.deepEqual(lines.slice(-4), ['Not collected', '  - a: first', '  - z: later', '']);
});

const now = new Date();
const ca = rootCa('Acme Test Root CA', now);
const secretKey = rsaKey();
const SECRET_KEY_PEM = plant(secretKey);
const HOST = 'prod.acme.example.com';
const CHAIN = fullChain(ca, HOST, secretKey, { now, sans: [HOST, 'localhost', '10.9.8.7'] });

test('secret metadata: names, type, key names, sizes and certificate facts, never a value', (t) => {
  const secret = tlsSecret({
    name: 'acme-prod',
    cert: CHAIN,
    key: SECRET_KEY_PEM,
    ca: ca.certificatePem,
    extraData: { note: 'plain' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'data-here' },
  });
  const meta = secretMetadata(secret as never, 'apigee');
  const leaf = new X509Certificate(CHAIN);
  const root = new X509Certificate(ca.certificatePem);
  const facts = (c: X509Certificate, cn: string, issuer: string, dns: string[], ips: string[], isCA: boolean, selfIssued: boolean) => ({
    subject: `CN=${cn}`,
    issuer: `CN=${issuer}`,
    serialNumber: c.serialNumber,
    notBefore: new Date(c.validFrom).toISOString(),
    notAfter: new Date(c.validTo).toISOString(),
    dnsNames: dns,
    ipAddresses: ips,
    sha256Fingerprint: c.fingerprint256,
    publicKey: 'rsa 2048 bits',
    signatureAlgorithm: 'sha256WithRSAEncryption',
    isCA,
    selfIssued,
  });
  const rootFacts = facts(root, ca.commonName, ca.commonName, [], [], true, true);
  t.deepEqual(meta, {
    state: 'found',
    name: 'acme-prod',
    namespace: 'apigee',
    type: 'Opaque',
    labels: {},
    annotationNames: ['kubectl.kubernetes.io/last-applied-configuration'],
    keys: [
      { name: 'cacert', size: Buffer.byteLength(ca.certificatePem), role: 'CA certificate', certificates: [rootFacts] },
      {
        name: 'cert',
        size: Buffer.byteLength(CHAIN),
        role: 'certificate chain',
        certificates: [facts(leaf, HOST, ca.commonName, [HOST, 'localhost'], ['10.9.8.7'], false, false), rootFacts],
      },
      { name: 'key', size: Buffer.byteLength(SECRET_KEY_PEM), role: 'private key', privateKey: 'rsa, 2048 bits, PKCS8' },
      { name: 'note', size: 5 },
    ],
  });
  const text = JSON.stringify(meta);
  for (const value of Object.values(secret.data as Record<string, string>)) t.false(text.includes(value.slice(0, 24)));
  t.deepEqual(leakedKeyLines(text, SECRET_KEY_PEM), []);
  t.false(text.includes('data-here'));
});

test('secret metadata names what is wrong with a value without quoting it', (t) => {
  const meta = secretMetadata(tlsSecret({ name: 's', cert: SECRET_KEY_PEM, key: 'not a key' }) as never, 'apigee');
  t.deepEqual(meta.state === 'found' ? meta.keys.map((k) => [k.name, k.size, k.problem]) : [], [
    ['cert', Buffer.byteLength(SECRET_KEY_PEM), 'The 1st PEM block is a PRIVATE KEY, where the certificate belongs: were the certificate and key swapped?'],
    ['key', 9, 'There is no -----BEGIN … PRIVATE KEY----- line: the input is not PEM.'],
  ]);
  t.deepEqual(leakedKeyLines(JSON.stringify(meta), SECRET_KEY_PEM), []);
});

test('the bundle refuses a Secret object, and redacts text, objects and logs as they are added', (t) => {
  const bundle = new Bundle(new Redactor({ addresses: true, tokens: true }));
  t.throws(() => bundle.addYaml('x.yaml', { kind: 'List', items: [{ kind: 'Secret', data: { key: 'x' } }] }, 'x'), {
    message: 'refusing to put a Secret object into the archive',
  });
  bundle.addText('a.txt', 'from 10.0.0.1', 'about 10.0.0.1', ['curl https://10.0.0.1/']);
  bundle.addYaml('b.yaml', { token: 'abc', ip: '10.0.0.1', key: SECRET_KEY_PEM }, 'b');
  const log = bundle.log('logs/p/c.log', 'log');
  for (const line of ['GET / from 10.0.0.1', ...SECRET_KEY_PEM.trimEnd().split('\n'), 'Authorization: Bearer abcdefgh12345678']) log.line(line);
  log.end();
  log.note('kubectl failed: connect to 10.0.0.2 refused');
  bundle.addText('README.txt', 'read me', 'readme', [], true);
  t.deepEqual(bundle.list(), [
    { path: 'README.txt', about: 'readme', commands: [] },
    { path: 'a.txt', about: 'about <private-ipv4-1>', commands: ['curl https://<private-ipv4-1>/'] },
    { path: 'b.yaml', about: 'b', commands: [] },
    { path: 'logs/p/c.log', about: 'log', commands: [] },
  ]);
  t.deepEqual(
    bundle.entries('root').map((e) => [e.path, e.content.toString()]),
    [
      ['root/README.txt', 'read me\n'],
      ['root/a.txt', 'from <private-ipv4-1>\n'],
      ['root/b.yaml', `token: ${REDACTED}\nip: <private-ipv4-1>\nkey: |\n  ${KEY_MARKER}\n`],
      [
        'root/logs/p/c.log',
        `GET / from <private-ipv4-1>\n${KEY_MARKER}\nAuthorization: ${REDACTED}\n# [apigee-tls] kubectl failed: connect to <private-ipv4-2> refused\n`,
      ],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// End to end: the built bundle against the simulated cluster

const ORG = 'acme';
const EG = 'prod';
const ARC = `${ORG}-${EG}`;
/** A key that leaked into logs and an annotation: it must never reach the archive. */
const LEAKED_KEY_PEM = plant(rsaKey());
const TOKEN = 'pl4ntedT0ken-ABCDEFGH';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkLXVzZXIifQ.c2lnbmF0dXJlLXBsYW50ZWQ';
const YAML_TOKEN = 'plantedYamlToken1234';
const TOKENS = [TOKEN, JWT, YAML_TOKEN];
const V4_PUBLIC = '203.0.113.45';
const V4_PRIVATE = '10.20.30.40';
const V6 = '2001:db8:abcd::42';
const V6_FULL = '2001:0db8:abcd:0000:0000:0000:0000:0042';
const ADDRESSES = [V4_PUBLIC, V4_PRIVATE, V6, V6_FULL, '10.9.8.7', '127.0.0.1'];

const scenario = apigeeCluster({
  org: ORG,
  envgroups: [{ name: EG, hostnames: [HOST, 'localhost'], secret: { cert: CHAIN, key: SECRET_KEY_PEM } }],
  issues: [
    {
      name: `${ORG}-cert-expiry-${ARC}`,
      reason: 'AIS_INGRESS_CERT_EXPIREY',
      severity: 'ERROR',
      routeConfig: ARC,
      secret: ARC,
      details: `The ingress certificate stored in the Kubernetes secret "${ARC}" served at ${V4_PUBLIC} has expired (checked with bearer ${TOKEN})`,
    },
  ],
});

function plantInObjects(objects: K8sObject[]): K8sObject[] {
  return objects.map((o) => {
    if (o.kind === 'ApigeeRouteConfig') {
      return {
        ...o,
        metadata: {
          ...o.metadata,
          annotations: {
            'example.com/debug': `curl -H "Authorization: Bearer ${TOKEN}" https://${V4_PRIVATE}/`,
            'example.com/load-balancer': `lb ${V4_PUBLIC} backend ${V4_PRIVATE} v6 ${V6}`,
            'example.com/oops': LEAKED_KEY_PEM,
            'example.com/token-note': `token: ${YAML_TOKEN}`,
          },
        },
      };
    }
    if (o.kind === 'ApigeeRoute') return { ...o, metadata: { ...o.metadata, annotations: { 'example.com/client': `client ${V6_FULL}` } } };
    return o;
  });
}

const keyLines = (pem: string, prefix = ''): string[] =>
  pem
    .trimEnd()
    .split('\n')
    .map((l) => `${prefix}${l}`);
const WATCHER_PLANTED = [
  JSON.stringify({ level: 'info', ts: 1, msg: `reconciled route for ${V4_PUBLIC}`, authorization: `Bearer ${TOKEN}` }),
  `watcher: connected to upstream [${V6}]:443 from ${V4_PRIVATE} with id_token=${JWT}`,
  ...keyLines(LEAKED_KEY_PEM, '2025-06-01T10:00:01Z '),
  'watcher: done',
];
const INGRESS_PLANTED = [
  `[2025-06-01T10:00:00.000Z] "GET /v1/x HTTP/2" 503 - ${V4_PUBLIC}:51234 ${V4_PRIVATE}:8443 "authorization: Bearer ${TOKEN}"`,
  ...keyLines(LEAKED_KEY_PEM),
  `[2025-06-01T10:00:01.000Z] upstream connect error to ${V6_FULL}`,
];

const watcherLogKey = `apigee/${scenario.watcherPod}/apigee-watcher`;
const ingressLogKey = `apigee/${scenario.ingressPod}/istio-proxy`;
const LOGS = {
  ...scenario.logs,
  [watcherLogKey]: [...(scenario.logs[watcherLogKey] as ReadonlyArray<string | { time: Date; line: string }>), ...WATCHER_PLANTED],
  [ingressLogKey]: INGRESS_PLANTED,
};

const clusterFor_ = (t: Parameters<typeof clusterFor>[0]): Promise<Cluster> => clusterFor(t, plantInObjects(scenario.objects), LOGS);

const ROOT = 'bundle';
const FILES = [
  'README.txt',
  'diagnosis.txt',
  'diagnosis.json',
  'secret-metadata.yaml',
  'route-config.yaml',
  'routes.yaml',
  'issues.yaml',
  `logs/${scenario.watcherPod}/apigee-watcher.log`,
  // The ingress manager's and the gateway's streams, from the same reads as the diagnosis's.
  ...scenario.ingressManagerPods.map((p) => `logs/${p}/discovery.log`),
  `logs/${scenario.ingressPod}/istio-proxy.log`,
  `logs/${scenario.ingressPod}/${GATEWAY_CONTAINERS[1]}.log`,
  'probe-localhost.txt',
  'probe-localhost.json',
  'versions.yaml',
].map((f) => `${ROOT}/${f}`);

/** What must never be in any file of a redacted archive (keys: never in any archive). */
function leaksIn(files: Map<string, string>, opts: { keysOnly: boolean }): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    for (const pem of plantedKeys()) for (const l of leakedKeyLines(text, pem)) found.push(`${path}: key line ${l.slice(0, 20)}…`);
    for (const value of Object.values(tlsSecret({ name: 'x', cert: CHAIN, key: SECRET_KEY_PEM }).data as Record<string, string>)) {
      if (text.includes(value.slice(0, 40))) found.push(`${path}: secret data value`);
    }
    if (opts.keysOnly) continue;
    for (const a of ADDRESSES) if (text.includes(a)) found.push(`${path}: address ${a}`);
    for (const tok of TOKENS) if (text.includes(tok)) found.push(`${path}: token ${tok}`);
  }
  return found;
}

const lines = (text: string): string[] => text.split('\n');

test('collect writes a 0600 archive of the expected files, with every planted address, token and key redacted', async (t) => {
  const c = await clusterFor_(t);
  const dir = await tempDir(t);
  const out = join(dir, `${ROOT}.tar.gz`);
  const r: RunResult = await run(t, c, ['collect', EG, '--out', out, '--host', 'localhost', '-o', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  const bundle = JSON.parse(r.stdout) as { apiVersion: string; kind: string; result: string; archive: string; files: string[]; target: { envgroup: string } };
  t.deepEqual(
    { apiVersion: bundle.apiVersion, kind: bundle.kind, result: bundle.result, archive: bundle.archive, files: bundle.files, envgroup: bundle.target.envgroup },
    { apiVersion: 'apigee-tls/v1', kind: 'SupportBundle', result: 'problems-found', archive: out, files: FILES, envgroup: EG },
  );
  t.is((await stat(out)).mode & 0o777, 0o600);
  const listed = await execa('tar', ['-tzf', out]);
  t.deepEqual(listed.stdout.split('\n'), FILES);
  t.deepEqual(lines(r.stderr).slice(0, FILES.length + 1), [
    `Wrote ${out} (mode 0600, ${FILES.length} files, ${(await stat(out)).size} bytes):`,
    ...FILES.map((f) => `  ${f}`),
  ]);

  const files = await extract(out, join(dir, 'x'));
  t.deepEqual([...files.keys()].sort(), [...FILES].sort());
  t.deepEqual(leaksIn(files, { keysOnly: false }), []);

  // The same address has the same placeholder in every file. Numbered as first seen: the leaf's IP
  // SAN and the issue's address in the diagnosis, then the route config's annotations.
  const san = '<private-ipv4-1>';
  const pub = '<public-ipv4-2>';
  const priv = '<private-ipv4-3>';
  const v6 = '<public-ipv6-1>';
  const f = (name: string): string => files.get(`${ROOT}/${name}`)!;
  t.true(f('diagnosis.txt').includes(`SANs ${HOST} localhost ${san}, valid`));
  t.true(f('diagnosis.txt').includes(`served at ${pub} has expired (checked with bearer ${REDACTED})`));
  t.true(f('diagnosis.json').includes(`served at ${pub} has expired (checked with bearer ${REDACTED})`));
  t.is(
    (parseYaml(f('issues.yaml')) as { items: Array<{ spec: { details: string } }> }).items[0]!.spec.details,
    `The ingress certificate stored in the Kubernetes secret "${ARC}" served at ${pub} has expired (checked with bearer ${REDACTED})`,
  );
  t.deepEqual((parseYaml(f('route-config.yaml')) as K8sObject).metadata.annotations, {
    'example.com/debug': `curl -H "Authorization: ${REDACTED}" https://${priv}/`,
    'example.com/load-balancer': `lb ${pub} backend ${priv} v6 ${v6}`,
    'example.com/oops': `${KEY_MARKER}\n`,
    'example.com/token-note': `token: ${REDACTED}`,
  });
  t.deepEqual(
    (parseYaml(f('routes.yaml')) as { items: K8sObject[] }).items.map((i) => i.metadata.annotations),
    [{ 'example.com/client': `client ${v6}` }],
  );
  t.deepEqual(logLines(f(`logs/${scenario.watcherPod}/apigee-watcher.log`)), [
    'starting apigee-watcher',
    JSON.stringify({ level: 'info', ts: 1, msg: `reconciled route for ${pub}`, authorization: REDACTED }),
    `watcher: connected to upstream [${v6}]:443 from ${priv} with id_token=${REDACTED}`,
    `2025-06-01T10:00:01Z ${KEY_MARKER}`,
    'watcher: done',
    '',
  ]);
  t.deepEqual(logLines(f(`logs/${scenario.ingressPod}/istio-proxy.log`)), [
    `[2025-06-01T10:00:00.000Z] "GET /v1/x HTTP/2" 503 - ${pub}:51234 ${priv}:8443 "authorization: ${REDACTED}"`,
    KEY_MARKER,
    `[2025-06-01T10:00:01.000Z] upstream connect error to ${v6}`,
    '',
  ]);

  // The secret as metadata only; the certificate's IP SAN redacted like every other address.
  const meta = parseYaml(f('secret-metadata.yaml')) as {
    name: string;
    keys: Array<{ name: string; size: number; certificates?: Array<{ subject: string; ipAddresses: string[] }> }>;
  };
  t.is(meta.name, ARC);
  t.deepEqual(
    meta.keys.map((k) => [k.name, k.size]),
    [
      ['cert', Buffer.byteLength(CHAIN)],
      ['key', Buffer.byteLength(SECRET_KEY_PEM)],
    ],
  );
  t.deepEqual(
    meta.keys[0]!.certificates!.map((c) => [c.subject, c.ipAddresses]),
    [
      [`CN=${HOST}`, [san]],
      [`CN=${ca.commonName}`, []],
    ],
  );

  // The diagnosis is the one `diagnose` makes; the probe is there and redacted.
  const diagnosis = JSON.parse(f('diagnosis.json')) as { kind: string; result: string; target: Record<string, unknown> };
  t.deepEqual(
    [diagnosis.kind, diagnosis.result, diagnosis.target],
    ['Diagnosis', 'problems-found', { envgroup: EG, org: ORG, namespace: 'apigee', secret: ARC, context: 'apigee-sim' }],
  );
  t.deepEqual((JSON.parse(f('probe-localhost.json')) as { target: unknown }).target, { host: 'localhost', port: 443, sni: 'localhost' });
  t.deepEqual(Object.keys(parseYaml(f('versions.yaml')) as object), ['plugin', 'commit', 'node', 'kubectl', 'cluster', 'openssl']);
  t.is((parseYaml(f('versions.yaml')) as { cluster: string }).cluster, 'v1.32.4');

  // README.txt: what support still needs, and how each file was collected.
  const readme = lines(f('README.txt'));
  for (const expected of [
    'What support still needs from you',
    "    sudo tcpdump -i any -s 0 -w apigee-tls.pcap 'host localhost and tcp port 443'",
    '    tcprewrite --seed=$RANDOM --infile=apigee-tls.pcap --outfile=apigee-tls-anon.pcap',
    '3. The network topology and traffic flow, from the failing client to the Apigee ingress',
    `logs/${scenario.ingressPod}/istio-proxy.log`,
    `    $ kubectl -n apigee logs ${scenario.ingressPod} -c istio-proxy --since=1h --tail=10000 --timestamps`,
    '    $ kubectl -n apigee get apigeerouteconfigs -o json --show-managed-fields',
  ]) {
    t.true(readme.includes(expected), expected);
  }
});

test('collect refuses an existing --out without --force (exit 2, nothing run) and replaces it with --force', async (t) => {
  const c = await clusterFor_(t);
  const dir = await tempDir(t);
  const out = join(dir, 'case.tar.gz');
  await writeFile(out, 'old archive');
  await chmod(out, 0o644);
  const before = c.sim.requests.length;
  const refused = await run(t, c, ['collect', EG, '--out', out]);
  t.is(refused.exitCode, 2);
  t.is(
    refused.stderr,
    `error: ${out} already exists; pass --force to replace it, or choose another --out\nSee 'kubectl apigee-tls collect --help' for usage.\n`,
  );
  t.is(await readFile(out, 'utf8'), 'old archive');
  t.is(c.sim.requests.length, before);

  const forced = await run(t, c, ['collect', EG, '--out', out, '--force']);
  t.is(forced.exitCode, 1, forced.stderr);
  t.is(forced.stdout, '');
  t.is((await stat(out)).mode & 0o777, 0o600);
  const files = await extract(out, join(dir, 'x'));
  t.deepEqual(
    [...files.keys()].sort(),
    FILES.filter((p) => !p.includes('probe-'))
      .map((p) => p.replace(`${ROOT}/`, 'case/'))
      .sort(),
  );
  t.deepEqual(leaksIn(files, { keysOnly: false }), []);
  // Without --host, the capture filter names the env group's own hostnames (its ApigeeRoutes').
  t.true(lines(files.get('case/README.txt')!).includes(`    sudo tcpdump -i any -s 0 -w apigee-tls.pcap '(host ${HOST} or host localhost) and tcp port 443'`));
});

test('collect --no-redact keeps addresses and tokens, warns loudly, and still never includes a key', async (t) => {
  const c = await clusterFor_(t);
  const dir = await tempDir(t);
  const out = join(dir, 'raw.tar.gz');
  const r = await run(t, c, ['collect', EG, '--out', out, '--no-redact']);
  t.is(r.exitCode, 1, r.stderr);
  t.true(r.stderr.startsWith(`${NO_REDACT_WARNING}\n\n`));
  t.true(r.stderr.includes(`\n${NO_REDACT_WARNING}\n`));
  const files = await extract(out, join(dir, 'x'));
  t.deepEqual(leaksIn(files, { keysOnly: true }), []);
  const ingress = files.get(`raw/logs/${scenario.ingressPod}/istio-proxy.log`)!;
  t.deepEqual(logLines(ingress), [INGRESS_PLANTED[0], KEY_MARKER, INGRESS_PLANTED.at(-1), '']);
  t.true(files.get('raw/route-config.yaml')!.includes(`lb ${V4_PUBLIC} backend ${V4_PRIVATE} v6 ${V6}`));
  t.true(files.get('raw/README.txt')!.includes('REDACTION WAS TURNED OFF (--no-redact)'));
});

test('collect writes the default archive name into the current folder', async (t) => {
  const c = await clusterFor_(t);
  const dir = await tempDir(t);
  const r = await execa(process.execPath, [BUNDLE, 'collect', EG], { cwd: dir, env: c.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
  t.is(r.exitCode, 1, String(r.stderr));
  const names = await readdir(dir);
  t.is(names.length, 1);
  t.regex(names[0]!, /^apigee-tls-prod-\d{8}T\d{6}\.tar\.gz$/);
  t.is((await stat(join(dir, names[0]!))).mode & 0o777, 0o600);
  t.deepEqual(leakedKeyLines(`${String(r.stdout)}${String(r.stderr)}`, LEAKED_KEY_PEM), []);
});

test('collect usage errors: no env group, an invalid name, --out in a missing folder', async (t) => {
  const c = await clusterFor_(t);
  const dir = await tempDir(t);
  const hint = "See 'kubectl apigee-tls collect --help' for usage.\n";
  const cases: Array<[string[], string]> = [
    [['collect'], 'error: which env group? give its name (kubectl apigee-tls collect ENVGROUP)\n'],
    [
      ['collect', 'Bad_Name'],
      `error: invalid env group name "Bad_Name": must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)\n`,
    ],
    [
      ['collect', EG, '--out', join(dir, 'missing', 'x.tar.gz')],
      `error: cannot write ${join(dir, 'missing', 'x.tar.gz')}: folder ${join(dir, 'missing')} does not exist\n`,
    ],
    [['collect', EG, '--out', dir], `error: --out ${dir} is a directory; give a file name\n`],
  ];
  for (const [args, message] of cases) {
    const r = await run(t, c, args);
    t.is(r.exitCode, 2, args.join(' '));
    t.is(r.stderr, `${message}${hint}`, args.join(' '));
  }
  t.deepEqual(await readdir(dir), []);
});
