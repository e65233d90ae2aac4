import type { Document } from './finding.js';
import { jsonText } from './scrub.js';

export const renderJson = (report: Document): string => jsonText(report);
