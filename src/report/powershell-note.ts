// On Windows the shown commands stay as the playbook writes them (bash: they are what support
// knows, and they run in WSL or Git Bash); the text report then says so once, and gives the
// PowerShell form of the two constructs that differ: decoding a secret's value and `<(…)`.

/** Whether any shown command uses a construct PowerShell lacks. */
const POSIX_ONLY = /\| base64 -d|<\(/;

export function powershellNote(commands: readonly string[]): string | null {
  if (!commands.some((c) => POSIX_ONLY.test(c))) return null;
  return [
    'The commands above ($) are for a POSIX shell (bash, WSL, Git Bash). In PowerShell:',
    "  a secret's value: $v = kubectl -n apigee get secret NAME -o jsonpath='{.data.cert}'; [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($v)) | openssl x509 -noout -text",
    '  diff <(A) <(B): A > a.txt; B > b.txt; Compare-Object (Get-Content a.txt) (Get-Content b.txt)',
    '',
  ].join('\n');
}
