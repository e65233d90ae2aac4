// `check`: the certificate and key checks on local files, no cluster (the playbook's option 1).
import type { PemSource, TlsMaterial } from '../evidence/material.js';
import { hostnameProblem } from '../apigee/names.js';
import type { VirtualHost } from '../apigee/overrides.js';
import { UsageError } from '../errors.js';
import { readInputFile, readOverrides, readOverridesPath } from '../gather/local-files.js';
import { checkMaterial } from '../pipeline/material.js';
import { analyseCertificate } from '../pki/index.js';
import type { Diagnosis, Finding, Target } from '../report/finding.js';
import { diagnosis, diagnosisList } from '../report/result.js';
import type { Args } from './commands.js';
import { durationFlag, outputRequest, stringFlag, stringsFlag } from './common.js';
import { emit } from './emit.js';
import { commandExec, type CommandIO } from './io.js';

const fileSource = (path: string, bytes: Buffer): PemSource => ({ bytes, label: path, origin: { kind: 'file', path } });

function hostsOf(args: Args): string[] {
  const hosts = stringsFlag(args, 'host');
  for (const h of hosts) {
    const problem = hostnameProblem(h);
    if (problem) throw new UsageError(problem);
  }
  return hosts;
}

interface PlannedCheck {
  target: Target;
  material: TlsMaterial & { cert: PemSource };
}

async function planFromFiles(args: Args, hosts: string[]): Promise<PlannedCheck> {
  const certFile = stringFlag(args, 'cert')!;
  const keyFile = stringFlag(args, 'key');
  const caFile = stringFlag(args, 'ca');
  const [cert, key, ca] = await Promise.all([
    readInputFile(certFile, 'certificate file'),
    keyFile ? readInputFile(keyFile, 'key file') : null,
    caFile ? readInputFile(caFile, 'CA file') : null,
  ]);
  const anchor = ca ? analyseCertificate(ca) : null;
  if (anchor && !anchor.ok) throw new UsageError(`CA file ${caFile} is not a PEM certificate: ${anchor.detail}`);
  const target: Target = { certFile };
  if (keyFile) target.keyFile = keyFile;
  if (caFile) target.caFile = caFile;
  return {
    target,
    material: {
      cert: fileSource(certFile, cert),
      key: key && keyFile ? fileSource(keyFile, key) : null,
      ca: ca && caFile ? fileSource(caFile, ca) : null,
      mtls: false,
      hostnames: hosts,
    },
  };
}

type VirtualHostPlan = (PlannedCheck & { files?: Finding }) | { target: Target; secretOnly: string } | { target: Target; unreadable: string };

type FoundFile = { path: string; bytes: Buffer; rule: string };

/** Which rule found each file: a relative path can resolve three ways, and the user should see which. */
const filesFinding = (files: Array<[string, string, FoundFile]>): Finding => ({
  check: 'overrides-files',
  status: 'pass',
  cause: null,
  summary: `read ${files.map(([what]) => what).join(', ')} named in the overrides file`,
  evidence: files.map(([what, named, f]) => `${what} ${named}: ${f.path}, ${f.rule}`),
  commands: [],
});

async function planVirtualHost(overridesPath: string, org: string | undefined, vh: VirtualHost, hosts: string[]): Promise<VirtualHostPlan> {
  const target: Target = { envgroup: vh.name, overrides: overridesPath };
  if (org) target.org = org;
  if (!vh.sslCertPath) return { target, secretOnly: vh.sslSecret ?? '' };
  const read = (path: string | undefined, what: string) => (path ? readOverridesPath(overridesPath, path, what) : Promise.resolve(null));
  let cert: FoundFile | null, key: FoundFile | null, ca: FoundFile | null;
  try {
    [cert, key, ca] = await Promise.all([read(vh.sslCertPath, 'certificate file'), read(vh.sslKeyPath, 'key file'), read(vh.caCertPath, 'CA file')]);
  } catch (err) {
    // One virtual host's missing files are that host's error, not the end of the run.
    if (err instanceof UsageError) return { target, unreadable: err.message };
    throw err;
  }
  target.certFile = cert!.path;
  if (key) target.keyFile = key.path;
  if (ca) target.caFile = ca.path;
  const found: Array<[string, string, FoundFile]> = [['certificate', vh.sslCertPath, cert!]];
  if (key) found.push(['key', vh.sslKeyPath!, key]);
  if (ca) found.push(['CA', vh.caCertPath!, ca]);
  return {
    target,
    files: filesFinding(found),
    material: {
      cert: fileSource(cert!.path, cert!.bytes),
      key: key ? fileSource(key.path, key.bytes) : null,
      ca: ca ? fileSource(ca.path, ca.bytes) : null,
      mtls: (vh.tlsMode ?? '').toUpperCase() === 'MUTUAL',
      // 1.2's hostAliases are the virtual host's hostnames.
      hostnames: [...new Set([...(vh.hostAliases ?? []), ...hosts])],
    },
  };
}

async function planFromOverrides(args: Args, hosts: string[]): Promise<VirtualHostPlan[]> {
  const overridesPath = stringFlag(args, 'overrides')!;
  const envgroup = stringFlag(args, 'envgroup');
  const overrides = await readOverrides(overridesPath);
  const chosen = envgroup ? overrides.virtualhosts.filter((v) => v.name === envgroup) : overrides.virtualhosts;
  if (chosen.length === 0) {
    const names = overrides.virtualhosts.map((v) => v.name).join(', ') || 'none';
    throw new UsageError(
      envgroup ? `env group ${envgroup} is not in ${overridesPath} (virtualhosts: ${names})` : `${overridesPath} has no virtualhosts[] entries`,
    );
  }
  return Promise.all(chosen.map((vh) => planVirtualHost(overridesPath, overrides.org, vh, hosts)));
}

const secretOnlyFinding = (secret: string): Finding => ({
  check: 'certificate',
  status: 'skip',
  cause: null,
  summary: `this virtual host uses sslSecret ${JSON.stringify(secret)}, not files: run diagnose against the cluster`,
  evidence: [],
  commands: [],
});

const unreadableFinding = (message: string): Finding => ({
  check: 'overrides-files',
  status: 'error',
  cause: null,
  summary: message,
  evidence: [],
  commands: [],
});

export async function runCheck(args: Args, io: CommandIO): Promise<number> {
  const output = outputRequest(args, io.env, io.isTTY, io.columns);
  const expiryWarningMs = durationFlag(args, 'expiry-warning');
  const hosts = hostsOf(args);
  const hasCert = stringFlag(args, 'cert') !== undefined;
  const hasOverrides = stringFlag(args, 'overrides') !== undefined;
  if (hasCert === hasOverrides) throw new UsageError('give either --cert FILE (with --key, --ca) or --overrides FILE');
  if (!hasOverrides && stringFlag(args, 'envgroup')) throw new UsageError('--envgroup goes with --overrides');
  if (hasOverrides && (stringFlag(args, 'key') || stringFlag(args, 'ca'))) throw new UsageError('--key and --ca go with --cert, not --overrides');

  const exec = commandExec(io, output);
  const ctx = { now: io.now(), expiryWarningMs };
  const judge = async (plan: VirtualHostPlan): Promise<Diagnosis> => {
    if ('secretOnly' in plan) return diagnosis(plan.target, [secretOnlyFinding(plan.secretOnly)]);
    if ('unreadable' in plan) return diagnosis(plan.target, [unreadableFinding(plan.unreadable)]);
    const findings = await checkMaterial(exec, plan.material, ctx);
    return diagnosis(plan.target, plan.files ? [plan.files, ...findings] : findings);
  };

  if (hasCert) return emit(await judge(await planFromFiles(args, hosts)), output, io.stdout);
  const plans = await planFromOverrides(args, hosts);
  const items = await Promise.all(plans.map(judge));
  return emit(items.length === 1 && stringFlag(args, 'envgroup') ? items[0]! : diagnosisList(items), output, io.stdout);
}
