// Bundles the CLI into one CommonJS file that runs with plain `node` and becomes the SEA payload.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/kubectl-apigee_tls.cjs',
  logLevel: 'warning',
  // yargs 18 is ESM-only and calls createRequire(import.meta.url); esbuild empties import.meta in CJS.
  define: {
    'import.meta.url': '__importMetaUrl',
    __VERSION__: JSON.stringify(pkg.version),
    __COMMIT__: JSON.stringify(process.env.APIGEE_TLS_COMMIT ?? gitCommit()),
  },
  banner: { js: "#!/usr/bin/env node\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
