// Checks a krew plugin manifest the way krew-index CI does, without Go or krew:
//  - krew's ValidatePlugin (internal/index/validation): apiVersion and kind, a safe name, a one-line
//    shortDescription, at least one platform, a `v` semver version, and per platform a uri, a
//    lowercase hex sha256, a bin, `files` absent or complete, a selector on os/arch only;
//  - validate-krew-manifest: every selector matches a supported os/arch and no os/arch matches two;
//  - its install step, per platform, against the local archive: the sha256 matches, entries are
//    regular files or directories with safe paths (krew aborts on links), `bin` is installed (with
//    an exec bit outside Windows, `.exe` on Windows), and a license file is installed.
// Review advice from the krew-index bot (shortDescription ≤ 50 chars, description lines ≤ 80
// columns) is reported as warnings.
//
// Usage: node --import tsx scripts/package/validate-krew-manifest.ts MANIFEST [--archives DIR] [--index]
//   --archives DIR  also check each platform's archive, found in DIR by the uri's file name
//   --index         the file must be named <metadata.name>.yaml, as in krew-index's plugins/
// Exit status 1 when there are errors.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readArchive, type ArchiveEntry } from './archive-read.js';

export const API_VERSION = 'krew.googlecontainertools.github.com/v1alpha2';
const SAFE_NAME = /^[\w-]+$/;
const WINDOWS_RESERVED = ['CON', 'PRN', 'AUX', 'NUL', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`])];
const SHA256 = /^[a-f0-9]{64}$/;
// Semantic Versioning 2.0.0, after the leading "v".
const SEMVER =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const LICENSE_FILES = new Set(['license', 'license.txt', 'license.md', 'licenses', 'licenses.txt', 'licenses.md', 'copying', 'copying.txt']);

/** validate-krew-manifest's list of the platforms krew supports. */
export const SUPPORTED_PLATFORMS: ReadonlyArray<{ os: string; arch: string }> = [
  { os: 'windows', arch: '386' },
  { os: 'windows', arch: 'amd64' },
  { os: 'windows', arch: 'arm64' },
  { os: 'linux', arch: '386' },
  { os: 'linux', arch: 'amd64' },
  { os: 'linux', arch: 'arm' },
  { os: 'linux', arch: 'arm64' },
  { os: 'linux', arch: 'ppc64le' },
  { os: 'darwin', arch: '386' },
  { os: 'darwin', arch: 'amd64' },
  { os: 'darwin', arch: 'arm64' },
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

interface Expression {
  key: string;
  operator: string;
  values: string[];
}

/** The selector's requirements, as Kubernetes' LabelSelectorAsSelector reads them. */
function requirements(selector: Obj): Expression[] {
  const out: Expression[] = [];
  if (isObj(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) out.push({ key, operator: 'In', values: [String(value)] });
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions) {
      if (isObj(e)) out.push({ key: str(e.key), operator: str(e.operator), values: Array.isArray(e.values) ? e.values.map(String) : [] });
    }
  }
  return out;
}

export function selectorMatches(selector: unknown, env: { os: string; arch: string }): boolean {
  if (!isObj(selector)) return false;
  const labels: Record<string, string> = { os: env.os, arch: env.arch };
  return requirements(selector).every((r) => {
    const has = r.key in labels;
    const value = labels[r.key] ?? '';
    switch (r.operator) {
      case 'In':
        return has && r.values.includes(value);
      case 'NotIn':
        return !has || !r.values.includes(value);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

function selectorProblem(selector: unknown): string | null {
  if (!isObj(selector)) return 'nil selector is not supported';
  const labels = selector.matchLabels;
  const exprs = selector.matchExpressions;
  if (labels === undefined && (!Array.isArray(exprs) || exprs.length === 0)) return 'empty selector is not supported';
  for (const r of requirements(selector)) if (r.key !== 'os' && r.key !== 'arch') return `key "${r.key}" not supported`;
  if (labels !== undefined && (!isObj(labels) || Object.keys(labels).length === 0)) return '`matchLabels` specified but empty';
  if (exprs !== undefined && (!Array.isArray(exprs) || exprs.length === 0)) return '`matchExpressions` specified but empty';
  for (const r of requirements(selector)) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(r.operator)) return `operator "${r.operator}" not supported`;
  }
  return null;
}

/** The platforms of a manifest document (an empty list when it has none). */
export const platformsOf = (doc: unknown): Obj[] =>
  isObj(doc) && isObj(doc.spec) && Array.isArray(doc.spec.platforms) ? doc.spec.platforms.filter(isObj) : [];

/** Hard rules on the manifest alone. `fileName`, when given, must be `<metadata.name>.yaml`. */
export function validateManifest(doc: unknown, options: { fileName?: string } = {}): string[] {
  const errors: string[] = [];
  if (!isObj(doc)) return ['the manifest is not a YAML mapping'];
  if (doc.apiVersion !== API_VERSION) errors.push(`apiVersion is "${str(doc.apiVersion)}", must be "${API_VERSION}"`);
  if (doc.kind !== 'Plugin') errors.push(`kind is "${str(doc.kind)}", must be "Plugin"`);
  const name = isObj(doc.metadata) ? str(doc.metadata.name) : '';
  if (!SAFE_NAME.test(name) || WINDOWS_RESERVED.includes(name.toUpperCase())) {
    errors.push(`metadata.name "${name}" is not allowed, must match ^[\\w-]+$ and not be a Windows reserved name`);
  }
  if (options.fileName !== undefined && options.fileName !== `${name}.yaml`) {
    errors.push(`the file is named "${options.fileName}", must be "${name}.yaml"`);
  }
  const spec = isObj(doc.spec) ? doc.spec : {};
  const short = str(spec.shortDescription);
  if (short === '') errors.push('spec.shortDescription is empty');
  else if (/[\r\n]/.test(short)) errors.push('spec.shortDescription must be one line');
  const version = str(spec.version);
  if (version === '') errors.push('spec.version is empty');
  else if (!version.startsWith('v')) errors.push(`spec.version "${version}" must start with "v"`);
  else if (!SEMVER.test(version)) errors.push(`spec.version "${version}" is not a semantic version`);

  const platforms = Array.isArray(spec.platforms) ? spec.platforms : [];
  if (platforms.length === 0) errors.push('spec.platforms is empty');
  platforms.forEach((p: unknown, i: number) => {
    const at = `spec.platforms[${i}]`;
    if (!isObj(p)) {
      errors.push(`${at} is not a mapping`);
      return;
    }
    if (str(p.uri) === '') errors.push(`${at}.uri is unset`);
    const sha = str(p.sha256);
    if (sha === '') errors.push(`${at}.sha256 is unset`);
    else if (!SHA256.test(sha)) errors.push(`${at}.sha256 "${sha}" must match ^[a-f0-9]{64}$`);
    if (str(p.bin) === '') errors.push(`${at}.bin is unset`);
    if (p.files !== undefined) {
      if (!Array.isArray(p.files) || p.files.length === 0) errors.push(`${at}.files must be unset or non-empty`);
      else if (p.files.some((f: unknown) => !isObj(f) || str(f.from) === '' || str(f.to) === ''))
        errors.push(`${at}.files needs "from" and "to" in every entry`);
    }
    const problem = selectorProblem(p.selector);
    if (problem) errors.push(`${at}.selector: ${problem}`);
    else if (!SUPPORTED_PLATFORMS.some((env) => selectorMatches(p.selector, env))) errors.push(`${at}.selector matches no supported platform`);
  });
  for (const env of SUPPORTED_PLATFORMS) {
    const matching = platforms.flatMap((p: unknown, i: number) => (isObj(p) && selectorMatches(p.selector, env) ? [i] : []));
    if (matching.length > 1) errors.push(`spec.platforms [${matching.join(' ')}] overlap: each selects ${env.os}/${env.arch}`);
  }
  return errors;
}

/** The krew-index bot's review advice: not fatal, but asked for on every new plugin. */
export function reviewManifest(doc: unknown): string[] {
  const warnings: string[] = [];
  const spec = isObj(doc) && isObj(doc.spec) ? doc.spec : {};
  const short = str(spec.shortDescription);
  if (short.length > 50) warnings.push(`spec.shortDescription is ${short.length} characters, keep it to 50`);
  str(spec.description)
    .split('\n')
    .forEach((line, i) => {
      if (line.length > 80) warnings.push(`spec.description line ${i + 1} is ${line.length} columns, wrap at 80`);
    });
  return warnings;
}

/** Go's filepath.Match for `*` and `?` (neither crosses "/"). */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/**
 * What krew installs from the archive's regular files: each `files` rule moves what `from`
 * matches (a file, or a folder with its contents) into `to`. No rules = everything (`*` → `.`).
 */
export function installedFiles(entries: readonly ArchiveEntry[], files?: unknown): Map<string, ArchiveEntry> {
  const rules = Array.isArray(files) ? files.filter(isObj).map((f) => ({ from: str(f.from), to: str(f.to) })) : [{ from: '*', to: '.' }];
  const out = new Map<string, ArchiveEntry>();
  for (const entry of entries) {
    if (entry.kind !== 'file') continue;
    const parts = posix.normalize(entry.name).split('/');
    for (const rule of rules) {
      const re = globToRegExp(posix.normalize(rule.from));
      const depth = parts.findIndex((_, k) => re.test(parts.slice(0, k + 1).join('/')));
      if (depth === -1) continue;
      out.set(posix.normalize(posix.join(rule.to, ...parts.slice(depth))), entry);
      break;
    }
  }
  return out;
}

/** The install step for one platform, against its archive's bytes. */
export function validatePlatformArchive(platform: Obj, index: number, archive: Buffer, archiveLabel: string): string[] {
  const at = `spec.platforms[${index}]`;
  const errors: string[] = [];
  const sha = createHash('sha256').update(archive).digest('hex');
  if (sha !== str(platform.sha256)) errors.push(`${at}: ${archiveLabel} has sha256 ${sha}, the manifest says ${str(platform.sha256)}`);
  let entries: ArchiveEntry[];
  try {
    entries = readArchive(archive).entries;
  } catch (err) {
    return [...errors, `${at}: ${archiveLabel}: ${(err as Error).message}`];
  }
  for (const e of entries) {
    if (e.kind !== 'file' && e.kind !== 'dir') errors.push(`${at}: ${archiveLabel}: "${e.name}" is a ${e.kind}; krew installs regular files and folders only`);
    if (e.name.startsWith('/') || e.name.split('/').includes('..')) errors.push(`${at}: ${archiveLabel}: "${e.name}" leaves the install folder`);
  }
  const installed = installedFiles(entries, platform.files);
  const env = SUPPORTED_PLATFORMS.find((p) => selectorMatches(platform.selector, p));
  const bin = posix.normalize(str(platform.bin));
  const binEntry = installed.get(bin);
  if (!binEntry) errors.push(`${at}: bin "${bin}" is not installed from ${archiveLabel}`);
  if (env?.os === 'windows') {
    if (!bin.toLowerCase().endsWith('.exe')) errors.push(`${at}: bin "${bin}" must end in .exe on Windows`);
  } else if (binEntry && (binEntry.mode & 0o111) === 0) {
    errors.push(`${at}: bin "${bin}" has no exec bit in ${archiveLabel} (mode ${binEntry.mode.toString(8).padStart(4, '0')})`);
  }
  if (![...installed.keys()].some((p) => LICENSE_FILES.has(posix.basename(p).toLowerCase()))) {
    errors.push(`${at}: no license file is installed from ${archiveLabel}`);
  }
  return errors;
}

export interface ValidationResult {
  errors: string[];
  warnings: string[];
}

/** Everything, for a manifest file and (optionally) the folder holding its archives. */
export function validateManifestFile(file: string, options: { archives?: string; index?: boolean } = {}): ValidationResult {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { errors: [`${file}: ${(err as Error).message.split('\n')[0]}`], warnings: [] };
  }
  const errors = validateManifest(doc, options.index ? { fileName: basename(file) } : {});
  if (options.archives !== undefined) {
    platformsOf(doc).forEach((p, i) => {
      const name = basename(str(p.uri));
      const path = join(options.archives!, name);
      if (!name || !existsSync(path)) errors.push(`spec.platforms[${i}]: archive "${name}" not found in ${options.archives}`);
      else errors.push(...validatePlatformArchive(p, i, readFileSync(path), name));
    });
  }
  return { errors, warnings: reviewManifest(doc) };
}

function main(argv: string[]): number {
  const args = [...argv];
  const options: { archives?: string; index?: boolean } = {};
  const files: string[] = [];
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === '--archives') options.archives = args.shift();
    else if (a === '--index') options.index = true;
    else files.push(a);
  }
  if (files.length !== 1) {
    process.stderr.write('usage: validate-krew-manifest.ts MANIFEST [--archives DIR] [--index]\n');
    return 2;
  }
  const { errors, warnings } = validateManifestFile(files[0]!, options);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  for (const e of errors) process.stderr.write(`error: ${e}\n`);
  if (errors.length === 0) process.stdout.write(`${files[0]}: valid${options.archives ? ', archives install' : ''}\n`);
  return errors.length === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
