// The catalog of documented error signatures: text in, matches out. Pure, no I/O.

export type { Signature, SignatureKind, SignatureMatch, SignatureTool } from './types.js';
export { SIGNATURES, signatureById } from './catalog.js';
export { MAX_LINE_CHARS, normaliseLine } from './normalise.js';
export { matchLine, matchText } from './match.js';
export { extractWatcherMessage, watcherSecretNotFound } from './watcher.js';
export { readCurlTranscript, type CurlTranscript } from './curl-transcript.js';
