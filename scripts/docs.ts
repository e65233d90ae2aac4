// Writes docs/causes.md from the cause catalog and the check registries.
import { writeFileSync } from 'node:fs';
import { causesMarkdown } from '../src/explain/markdown.js';

writeFileSync(new URL('../docs/causes.md', import.meta.url), causesMarkdown());
