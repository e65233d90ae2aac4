import type { Report } from './finding.js';

export const renderJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;
