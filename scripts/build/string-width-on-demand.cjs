// string-width, loaded when it is first called. Loading it builds an Intl.Segmenter and four
// Unicode-set regexes (about 50 ms at start); only the help text measures widths, so a run that
// prints no help never pays for it. The bundle (scripts/build.mjs) gives this module to every
// importer of string-width (yargs, cliui, wrap-ansi); only this module reaches the real one.
'use strict';
let real;
module.exports = function stringWidth(text, options) {
  real ??= require('string-width').default;
  return real(text, options);
};
