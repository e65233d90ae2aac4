// check --overrides on the layouts installs really have: apigeectl runs from hybrid-files/ and
// resolves ./certs/… against it; Helm reads files inside apigee-virtualhost/; 1.2's hostAliases are
// hostnames; a virtual host whose files are missing is that host's error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { BUNDLE } from './helpers/cluster.js';
import { finding, fullChain, item, plant, rootCa, rsaKey, verdicts, type DiagnosisJson, type DiagnosisListJson } from './helpers/scenarios.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', NO_COLOR: '1' };
const ca = rootCa('Overrides Layout Root CA');
const key = rsaKey();

function tree(t: { teardown(fn: () => void): void }, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'apigee-tls-layout-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content, { mode: 0o600 });
  }
  return root;
}

const check = async (cwd: string, args: string[]) => {
  const r = await execa(process.execPath, [BUNDLE, 'check', ...args, '-o', 'json'], { cwd, env, extendEnv: false, reject: false });
  return { code: r.exitCode, doc: JSON.parse(r.stdout || 'null') as unknown, stderr: r.stderr };
};

test("apigeectl's layout: ./certs/tls.crt resolved against hybrid-files/, the current directory; healthy, exit 0", async (t) => {
  const root = tree(t, {
    'hybrid-files/overrides/overrides.yaml': 'org: acme\nvirtualhosts:\n  - name: prod\n    sslCertPath: ./certs/tls.crt\n    sslKeyPath: ./certs/tls.key\n',
    'hybrid-files/certs/tls.crt': fullChain(ca, 'api.example.com', key),
    'hybrid-files/certs/tls.key': plant(key),
  });
  const r = await check(join(root, 'hybrid-files'), ['--overrides', 'overrides/overrides.yaml', '--envgroup', 'prod', '--host', 'api.example.com']);
  t.is(r.code, 0, r.stderr);
  const d = r.doc as DiagnosisJson;
  t.is(d.result, 'healthy');
  t.deepEqual(finding(d, 'overrides-files').evidence, [
    `certificate ./certs/tls.crt: ${join(root, 'hybrid-files', 'certs/tls.crt')}, relative to the current directory (apigeectl's rule)`,
    `key ./certs/tls.key: ${join(root, 'hybrid-files', 'certs/tls.key')}, relative to the current directory (apigeectl's rule)`,
  ]);
});

test("Helm's layout: the file inside apigee-virtualhost/ beside the overrides file, and the report says so", async (t) => {
  const root = tree(t, {
    'helm/overrides.yaml': 'virtualhosts:\n  - name: prod\n    sslCertPath: certs/tls.crt\n    sslKeyPath: certs/tls.key\n',
    'helm/apigee-virtualhost/certs/tls.crt': fullChain(ca, 'api.example.com', key),
    'helm/apigee-virtualhost/certs/tls.key': plant(key),
  });
  const r = await check(root, ['--overrides', 'helm/overrides.yaml', '--envgroup', 'prod']);
  t.is(r.code, 0, r.stderr);
  t.is(
    finding(r.doc as DiagnosisJson, 'overrides-files').evidence[0],
    `certificate certs/tls.crt: ${join(root, 'helm', 'apigee-virtualhost', 'certs/tls.crt')}, in apigee-virtualhost/ beside the overrides file (Helm's rule)`,
  );
});

test('1.2 hostAliases are hostnames: an alias the certificate does not cover fails hostname-not-covered', async (t) => {
  const root = tree(t, {
    'overrides.yaml':
      'virtualhosts:\n  - name: prod\n    hostAliases: [api.example.com, "partner.example.org"]\n    sslCertPath: tls.crt\n    sslKeyPath: tls.key\n',
    'tls.crt': fullChain(ca, 'api.example.com', key),
    'tls.key': plant(key),
  });
  const r = await check(root, ['--overrides', 'overrides.yaml', '--envgroup', 'prod']);
  t.is(r.code, 1, r.stderr);
  const h = finding(r.doc as DiagnosisJson, 'hostnames');
  t.is(h.cause, 'hostname-not-covered');
  t.true(h.evidence.includes('not covered: partner.example.org'), h.evidence.join('\n'));
});

test('a virtual host whose files are missing is an error for that host; the others are still checked (exit 3)', async (t) => {
  const root = tree(t, {
    'overrides.yaml': 'virtualhosts:\n  - name: good\n    sslCertPath: tls.crt\n    sslKeyPath: tls.key\n  - name: gone\n    sslCertPath: certs/gone.crt\n',
    'tls.crt': fullChain(ca, 'api.example.com', key),
    'tls.key': plant(key),
  });
  const r = await check(root, ['--overrides', 'overrides.yaml']);
  t.is(r.code, 3, r.stderr);
  const list = r.doc as DiagnosisListJson;
  t.is(item(list, 'good').result, 'healthy');
  const gone = item(list, 'gone');
  t.deepEqual(verdicts(gone), ['overrides-files error']);
  t.is(
    gone.findings[0]!.summary,
    `cannot read certificate file certs/gone.crt named in overrides.yaml: looked in ${join(root, 'certs/gone.crt')}, ${join(root, 'apigee-virtualhost', 'certs/gone.crt')}`,
  );
});
