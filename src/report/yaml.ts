import { stringify } from 'yaml';
import type { Report } from './finding.js';

/** The same document as -o json, in YAML; long lines are kept whole so evidence stays verbatim. */
export const renderYaml = (report: Report): string => stringify(report, { lineWidth: 0 });
