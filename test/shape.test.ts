// The code's shape, held by reading its imports: pure folders (the functional core) import nothing
// that does I/O or orchestrates it, type-only imports included; gather/ and exec/ know no verdicts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import test from 'ava';
import { REPO_ROOT } from './helpers/cluster.js';

const SRC = join(REPO_ROOT, 'src');
const PURE = ['pki', 'signatures', 'apigee', 'checks', 'report', 'evidence', 'cmdline', 'causes', 'explain', 'collect'];
const IMPURE = ['exec', 'gather', 'pipeline', 'cli', 'sim', 'main.ts'];

/** What each folder may not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  ...Object.fromEntries(PURE.map((f) => [f, IMPURE])),
  exec: ['gather', 'pipeline', 'cli', 'checks', 'sim'],
  gather: ['pipeline', 'cli', 'checks', 'sim'],
  pipeline: ['cli', 'sim'],
};
/** Node modules that do I/O: the functional core does none (node:net's isIP and node:tls's root list are pure, and allowed). */
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|http|https|dgram|readline)$|^execa$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
export function importsOf(source: string): string[] {
  const specs = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm), ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specs.map((m) => m[1]!);
}

/** The top-level folder of src/ a file or relative import lands in (`main.ts` for the entry). */
const folderOf = (absolute: string): string => relative(SRC, absolute).split('/')[0]!;

export function wrongWayImports(): string[] {
  const wrong: string[] = [];
  for (const file of filesUnder(SRC)) {
    const from = folderOf(file);
    const forbidden = FORBIDDEN[from] ?? [];
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const where = `${relative(SRC, file)} imports ${spec}`;
      if (spec.startsWith('.')) {
        const to = folderOf(join(file, '..', spec));
        if (forbidden.includes(to)) wrong.push(where);
      } else if (PURE.includes(from) && IO_MODULES.test(spec)) wrong.push(where);
    }
  }
  return wrong;
}

test('no pure folder imports exec/, gather/, pipeline/, cli/ or sim/, nor an I/O module; gather/ and exec/ import no checks', (t) => {
  t.deepEqual(wrongWayImports(), []);
});

test('the import reader sees static, type-only, re-exported and dynamic imports', (t) => {
  const source = [
    "import { a } from '../exec/a.js';",
    "import type { B } from '../gather/b.js';",
    "export { c } from './c.js';",
    'import {\n  d,\n  e,\n} from "../pipeline/d.js";',
    "const m = await import('../cli/m.js');",
  ].join('\n');
  t.deepEqual(importsOf(source), ['../exec/a.js', '../gather/b.js', './c.js', '../pipeline/d.js', '../cli/m.js']);
});
