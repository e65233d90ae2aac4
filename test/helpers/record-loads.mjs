// Preload (node --import) for the structure tests of start-up: writes to $APIGEE_TLS_LOAD_LOG, in
// the order they happen, every module the ESM loader is asked for ("load URL"), every process
// spawned ("spawn FILE ARGS"), and every Intl.Segmenter built ("segmenter": string-width's
// initialisation, which only help text needs). Spawns are noted synchronously on the main thread
// before the process starts, and a module is requested of the loader only after the code that
// imports it runs, so the file's order is the program's.
import childProcess from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { register, syncBuiltinESMExports } from 'node:module';

const log = process.env.APIGEE_TLS_LOAD_LOG;
const note = (line) => appendFileSync(log, `${line}\n`);

register('./record-loads-hooks.mjs', import.meta.url);

const spawn = childProcess.spawn;
childProcess.spawn = function recordedSpawn(file, ...rest) {
  note(`spawn ${file} ${Array.isArray(rest[0]) ? rest[0].join(' ') : ''}`);
  return spawn.call(this, file, ...rest);
};
syncBuiltinESMExports();

const Segmenter = Intl.Segmenter;
Intl.Segmenter = class RecordedSegmenter extends Segmenter {
  constructor(...args) {
    note('segmenter');
    super(...args);
  }
};
