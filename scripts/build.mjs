// Bundles the CLI into one CommonJS file that runs with plain `node` and becomes the SEA payload.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

/** Every import of string-width gets the on-demand wrapper, except the wrapper's own. */
const stringWidthOnDemand = {
  name: 'string-width-on-demand',
  setup(b) {
    const wrapper = fileURLToPath(new URL('./build/string-width-on-demand.cjs', import.meta.url));
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === wrapper ? undefined : { path: wrapper }));
  },
};

const result = await build({
  entryPoints: ['src/main.ts'],
  write: false,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/kubectl-apigee_tls.cjs',
  logLevel: 'warning',
  plugins: [stringWidthOnDemand],
  // A third smaller, so less to read, scan and compile at every start; names stay (no stack is
  // ever printed, but error names and messages must read as written).
  minifyWhitespace: true,
  minifySyntax: true,
  // yargs 18 is ESM-only and calls createRequire(import.meta.url); esbuild empties import.meta in CJS.
  define: {
    'import.meta.url': '__importMetaUrl',
    __VERSION__: JSON.stringify(pkg.version),
    __COMMIT__: JSON.stringify(process.env.APIGEE_TLS_COMMIT ?? gitCommit()),
  },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// One file still (CONTRACT: dist/kubectl-apigee_tls.cjs runs with plain node): the bundle's source
// rides inside a small loader that compiles it with a V8 code cache.
const bundle = result.outputFiles[0].text;
const loader = readFileSync(new URL('./build/code-cache-loader.cjs', import.meta.url), 'utf8');
const hash = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
const out = loader.replace('__BUNDLE_SOURCE__', () => JSON.stringify(bundle)).replace('__BUNDLE_HASH__', () => JSON.stringify(hash));
mkdirSync('dist', { recursive: true });
writeFileSync('dist/kubectl-apigee_tls.cjs', out);
// Executable, so that a link on PATH runs it (npm link, or by hand).
chmodSync('dist/kubectl-apigee_tls.cjs', 0o755);
