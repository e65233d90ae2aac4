// On Windows the text report says once that its commands are for a POSIX shell, with the
// PowerShell form of the constructs that differ; elsewhere, and in JSON, nothing changes.
import test from 'ava';
import { emit } from '../src/cli/emit.js';
import type { OutputRequest } from '../src/cli/common.js';
import { diagnosis } from '../src/report/result.js';

const report = (commands: string[]) =>
  diagnosis({ certFile: 'tls.crt' }, [
    { check: 'key-match', status: 'fail', cause: 'key-mismatch', summary: 'the key does not match', evidence: [], commands },
  ]);
const output = (format: OutputRequest['format']): OutputRequest => ({
  format,
  color: false,
  verbose: false,
  openssl: 'openssl',
  timeoutMs: 1000,
  failOn: 'fail',
  ignore: [],
});

function emitted(commands: string[], format: OutputRequest['format'], platform: NodeJS.Platform): { text: string; code: number } {
  let text = '';
  const code = emit(report(commands), output(format), (t) => (text += t), platform);
  return { text, code };
}

const PIPELINE = "kubectl -n apigee get secret s -o jsonpath='{.data.cert}' | base64 -d | openssl x509 -noout -text";

test('win32, text: one note after the report, naming the shell and the PowerShell forms', (t) => {
  const { text, code } = emitted([PIPELINE, 'diff <(openssl x509 -noout -pubkey -in tls.crt) <(openssl pkey -pubout -in tls.key)'], 'text', 'win32');
  t.is(code, 1);
  const note = text.slice(text.lastIndexOf('\n\nThe commands above') + 2);
  t.is(
    note,
    [
      'The commands above ($) are for a POSIX shell (bash, WSL, Git Bash). In PowerShell:',
      "  a secret's value: $v = kubectl -n apigee get secret NAME -o jsonpath='{.data.cert}'; [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($v)) | openssl x509 -noout -text",
      '  diff <(A) <(B): A > a.txt; B > b.txt; Compare-Object (Get-Content a.txt) (Get-Content b.txt)',
      '',
    ].join('\n'),
  );
  t.is(text.split('The commands above').length, 2, 'said once');
});

test('no note: on linux, in JSON on Windows, or when no command needs one', (t) => {
  t.false(emitted([PIPELINE], 'text', 'linux').text.includes('POSIX shell'));
  t.false(emitted([PIPELINE], 'json', 'win32').text.includes('POSIX shell'));
  t.false(emitted(['kubectl -n apigee get secrets'], 'text', 'win32').text.includes('POSIX shell'));
});
