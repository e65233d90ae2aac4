// docs/causes.md, generated from the catalog and the registries (npm run docs); a test fails when
// the committed file is stale.
import { causeViews, checkViews, statusText } from './catalog-view.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function causesMarkdown(): string {
  const causes = causeViews();
  const out = [
    '# Cause ids',
    '',
    '<!-- Generated from src/causes/catalog.ts and src/checks/registry.ts by `npm run docs`; do not edit. -->',
    '',
    'Every finding with status `fail` or `warn` names one of these ids. Ids never change. The same text',
    'is printed by `kubectl apigee-tls explain CAUSE`.',
    '',
    '| cause | status | reported by | what it means |',
    '|---|---|---|---|',
    ...causes.map(
      (c) =>
        `| [\`${c.entry.id}\`](#${c.entry.id}) | ${statusText(c.entry)} | ${c.reportedBy.map((r) => `\`${r.check.id}\``).join(', ') || '(reserved)'} | ${cell(c.entry.title)} |`,
    ),
    '',
  ];
  for (const { entry, reportedBy } of causes) {
    out.push(`## ${entry.id}`, '', `**${statusText(entry)}**: ${entry.title}.`, '');
    out.push(
      `- Reported by: ${reportedBy.length ? reportedBy.map((r) => `\`${r.check.id}\` (${r.commands.join(', ')})`).join('; ') : 'no check yet (the contract reserves the id)'}`,
    );
    out.push(`- How it is decided: ${entry.decided}`, '- Commands to see it by hand:', '');
    for (const c of entry.commands) out.push(`  \`\`\`sh`, `  ${c}`, '  ```');
    out.push('', `- Fix: ${entry.fix}`);
    if (entry.link) out.push(`- More: <${entry.link}>`);
    out.push('');
  }
  out.push('# Checks', '', '| check | commands | causes | what it checks |', '|---|---|---|---|');
  for (const v of checkViews())
    out.push(`| \`${v.check.id}\` | ${v.commands.join(', ')} | ${v.check.causes.map((c) => `\`${c}\``).join(', ') || '—'} | ${cell(v.check.description)} |`);
  return `${out.join('\n')}\n`;
}
