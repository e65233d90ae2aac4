import type { Document } from './finding.js';
import { yamlText } from './scrub.js';

/** The same document as -o json, in YAML; long lines are kept whole so evidence stays verbatim. */
export const renderYaml = (report: Document): string => yamlText(report);
