// Shared building blocks of the end-to-end tests: PKI minted at test time (never committed), a
// registry of every private key planted in a simulated cluster (the leak canary checks them all),
// and a runner for the built bundle that asserts what every run must satisfy.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mintCertificate } from '../../src/sim/mint-certificate.js';
import type { Cluster, RunResult } from './cluster.js';
import { leakedKeyLines, runCli } from './cluster.js';

export const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Keys and certificates

export const rsaKey = (bits = 2048): KeyObject => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
export const ecKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
export const ed25519Key = (): KeyObject => generateKeyPairSync('ed25519').privateKey;

const planted = new Set<string>();

/** Every private key PEM handed to a cluster or a file so far: what must never be printed. */
export function plantedKeys(): string[] {
  return [...planted];
}

/** The key as PKCS#8 PEM, registered for the leak canary. */
export function plant(key: KeyObject): string {
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  planted.add(pem);
  return pem;
}

export interface Ca {
  commonName: string;
  key: KeyObject;
  certificatePem: string;
}

/** A self-signed root CA, valid from 30 days ago for ten years. */
export function rootCa(commonName: string, now = new Date()): Ca {
  const key = rsaKey();
  const certificatePem = mintCertificate({
    commonName,
    key,
    notBefore: new Date(now.getTime() - 30 * DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    isCA: true,
  });
  return { commonName, key, certificatePem };
}

export interface LeafOptions {
  sans?: string[];
  notBefore?: Date;
  notAfter?: Date;
  now?: Date;
}

/** A leaf certificate for `key` issued by `ca`, valid from 10 days ago for a year by default. */
export function leafCert(ca: Ca, commonName: string, key: KeyObject, o: LeafOptions = {}): string {
  const now = o.now ?? new Date();
  return mintCertificate({
    commonName,
    sans: o.sans ?? [commonName],
    key,
    issuer: { certificatePem: ca.certificatePem, commonName: ca.commonName, key: ca.key },
    notBefore: o.notBefore ?? new Date(now.getTime() - 10 * DAY),
    notAfter: o.notAfter ?? new Date(now.getTime() + 365 * DAY),
  });
}

/** Leaf then root: a complete chain (it ends at a self-signed certificate). */
export function fullChain(ca: Ca, commonName: string, key: KeyObject, o: LeafOptions = {}): string {
  return leafCert(ca, commonName, key, o) + ca.certificatePem;
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

/** At most this many CLI runs at once: each spawns kubectl and openssl, and CI has few cores. */
const MAX_PARALLEL_RUNS = 3;
let running = 0;
const waiting: Array<() => void> = [];

/** Runs fn when fewer than MAX_PARALLEL_RUNS are in flight (per test file: each runs in its own process). */
export async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL_RUNS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await fn();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

interface Assertions {
  deepEqual(actual: unknown, expected: unknown, message?: string): void;
}

/** Lines that look like a JavaScript stack frame. */
export const stackLines = (text: string): string[] => text.split('\n').filter((l) => /^\s+at /.test(l));

/** Lines of any planted private key found in stdout or stderr. */
export const leaks = (r: RunResult): string[] => plantedKeys().flatMap((k) => leakedKeyLines(`${r.stdout}\n${r.stderr}`, k));

/** The built bundle run with exactly `env`, a few at a time. */
export const cliRun = (env: Record<string, string>, args: string[]): Promise<RunResult> => limited(() => runCli(args, env));

/** What holds for every run: no line of a private key anywhere in the output, and no stack trace. */
export function assertClean(t: Assertions, r: RunResult, args: readonly string[]): void {
  t.deepEqual(leaks(r), [], `private key material printed by: ${args.join(' ')}`);
  t.deepEqual(stackLines(`${r.stdout}\n${r.stderr}`), [], `stack trace printed by: ${args.join(' ')}`);
}

/** Runs the built bundle with `env` and asserts it ran clean (assertClean). */
export async function runWith(t: Assertions, env: Record<string, string>, args: string[]): Promise<RunResult> {
  const r = await cliRun(env, args);
  assertClean(t, r, args);
  return r;
}

/** runWith against a cluster's isolated environment. */
export const run = (t: Assertions, c: Cluster, args: string[]): Promise<RunResult> => runWith(t, c.env, args);

// ---------------------------------------------------------------------------------------------
// The report, typed loosely enough to read any command's output

export interface FindingJson {
  check: string;
  status: string;
  cause: string | null;
  summary: string;
  evidence: string[];
  commands: string[];
  remediation?: string;
}

export interface DiagnosisJson {
  apiVersion: string;
  kind: 'Diagnosis';
  target: Record<string, unknown>;
  result: string;
  findings: FindingJson[];
}

export interface DiagnosisListJson {
  apiVersion: string;
  kind: 'DiagnosisList';
  items: DiagnosisJson[];
}

/** The finding of `check`; throws (failing the test) when the report has none. */
export function finding(d: DiagnosisJson, check: string): FindingJson {
  const f = d.findings.find((x) => x.check === check);
  if (!f) throw new Error(`no finding "${check}" in the report of ${String(d.target.envgroup)}: ${d.findings.map((x) => x.check).join(', ')}`);
  return f;
}

/** check → "status cause" of every finding, in report order: one exact value to compare. */
export function verdicts(d: DiagnosisJson): string[] {
  return d.findings.map((f) => `${f.check} ${f.status}${f.cause ? ` ${f.cause}` : ''}`);
}

/** The item of a DiagnosisList for an env group; throws when absent. */
export function item(list: DiagnosisListJson, envgroup: string): DiagnosisJson {
  const d = list.items.find((i) => i.target.envgroup === envgroup);
  if (!d) throw new Error(`no item for env group ${envgroup}: ${list.items.map((i) => String(i.target.envgroup)).join(', ')}`);
  return d;
}
