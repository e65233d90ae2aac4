// Fault injection: ordered rules matched against the request, each optionally limited to a
// number of uses. Kept separate from the server so the matching is testable on its own.
import type { FaultRule } from './types.js';

interface LiveRule {
  rule: FaultRule;
  pattern: RegExp;
  used: number;
}

export class FaultSet {
  private rules: LiveRule[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    this.set(rules);
  }

  /** Replaces all rules; use counts start again from zero. */
  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({
      rule,
      // A RegExp with the g/y flag keeps lastIndex between tests; copy it without them.
      pattern: typeof rule.match === 'string' ? new RegExp(rule.match) : new RegExp(rule.match.source, rule.match.flags.replace(/[gy]/g, '')),
      used: 0,
    }));
  }

  /** The first live rule matching the request, counted as used; undefined when none. */
  take(method: string, url: string): FaultRule | undefined {
    // The decoded form lets a rule say `labelSelector=app=apigee-watcher` instead of `%3D`.
    const decoded = safeDecode(url);
    const subjects = [url, `${method} ${url}`, ...(decoded !== url ? [decoded, `${method} ${decoded}`] : [])];
    for (const live of this.rules) {
      if (live.rule.times !== undefined && live.used >= live.rule.times) continue;
      if (!subjects.some((s) => live.pattern.test(s))) continue;
      live.used += 1;
      return live.rule;
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
