// The shell text that reads a certificate or key the way the playbook does: `openssl … -in FILE`
// for a file, `<producer> | openssl …` for a secret's data.
import type { PemSource } from '../evidence/material.js';
import { displayCommand, shellQuote } from './quote.js';

/** `openssl <head> -in FILE <tail>` for a file, `<producer> | openssl <head> <tail>` for a pipe. */
export function opensslOn(source: PemSource, head: readonly string[], tail: readonly string[] = []): string {
  if (source.origin.kind === 'file') return displayCommand('openssl', [...head, '-in', source.origin.path, ...tail]);
  return `${source.origin.producer} | ${displayCommand('openssl', [...head, ...tail])}`;
}

/** The shell text that prints the source's bytes, to feed a pipeline. */
export function producerOf(source: PemSource): string {
  return source.origin.kind === 'file' ? `cat ${shellQuote(source.origin.path)}` : source.origin.producer;
}
