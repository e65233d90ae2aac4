import type { Report } from './finding.js';
import { jsonText } from './scrub.js';

export const renderJson = (report: Report): string => jsonText(report);
