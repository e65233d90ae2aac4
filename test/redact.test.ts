// The Redactor (src/collect/redact.ts): stable address placeholders, IPv6 in every spelling,
// timestamps and hashes untouched, tokens and headers removed, private keys removed whole.
import { generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import { BASE64_MARKER, KEY_MARKER, REDACTED, Redactor } from '../src/collect/redact.js';
import { leakedKeyLines } from './helpers/cluster.js';

const redactAll = (): Redactor => new Redactor({ addresses: true, tokens: true });
const keepAll = (): Redactor => new Redactor({ addresses: false, tokens: false });

// ---------------------------------------------------------------------------------------------
// Keys of every kind, minted here

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEYS: Record<string, string> = {
  'PKCS#8': rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  'RSA (PKCS#1)': rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  'EC (SEC1)': ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
  'ENCRYPTED PKCS#8': rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
  'RSA legacy-encrypted (Proc-Type)': rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
  // OpenSSH keys: the body of a real one is base64 in 70-character lines.
  OPENSSH: `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.concat([Buffer.from('openssh-key-v1\0'), rsa.privateKey.export({ type: 'pkcs8', format: 'der' })])
    .toString('base64')
    .replace(/(.{70})/g, '$1\n')
    .trimEnd()}\n-----END OPENSSH PRIVATE KEY-----\n`,
};

test('the keys planted here have the labels and bodies the tests rely on', (t) => {
  t.deepEqual(
    Object.values(KEYS).map((k) => k.split('\n')[0]),
    [
      '-----BEGIN PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
    ],
  );
  t.true(KEYS['RSA legacy-encrypted (Proc-Type)']!.includes('Proc-Type: 4,ENCRYPTED'));
  for (const [name, pem] of Object.entries(KEYS)) t.true(leakedKeyLines(pem, pem).length >= 2, name);
});

// ---------------------------------------------------------------------------------------------
// Addresses

test('IPv4 addresses become placeholders that are stable across inputs and classified', (t) => {
  const r = redactAll();
  t.is(r.text('from 10.0.0.1 to 8.8.8.8 via 192.168.1.10:443'), 'from <private-ipv4-1> to <public-ipv4-2> via <private-ipv4-3>:443');
  t.is(
    r.text('again 10.0.0.1, and 127.0.0.1 and 169.254.1.1 and 0.0.0.0'),
    'again <private-ipv4-1>, and <loopback-ipv4-4> and <link-local-ipv4-5> and <unspecified-ipv4-6>',
  );
  t.deepEqual(r.value({ lb: '8.8.8.8', list: ['x=10.0.0.1;'], n: 3, ok: true, none: null }), {
    lb: '<public-ipv4-2>',
    list: ['x=<private-ipv4-1>;'],
    n: 3,
    ok: true,
    none: null,
  });
  t.is(
    r.text('(172.16.5.4) [100.64.0.1] 10.0.0.0/8 "203.0.113.9" end 8.8.8.8.'),
    '(<private-ipv4-7>) [<private-ipv4-8>] <private-ipv4-9>/8 "<public-ipv4-10>" end <public-ipv4-2>.',
  );
  t.is(r.text('leading zeros 010.000.000.001 are the same address'), 'leading zeros <private-ipv4-1> are the same address');
  t.is(r.distinctAddresses, 10);
});

test('dotted numbers that are not IPv4 addresses are left alone', (t) => {
  const r = redactAll();
  const text = 'image 1.22.8-asm.4, kubectl v1.32.4, 256.1.1.1, 1.2.3.4.5, oid 1.2.840.113549.1.1.11, 12.34.56';
  t.is(r.text(text), text);
  t.is(r.counts.addresses, 0);
});

test('IPv6 addresses in full, compressed, bracketed, zoned and IPv4-mapped forms', (t) => {
  const r = redactAll();
  t.is(r.text('2001:db8::1 and 2001:0db8:0000:0000:0000:0000:0000:0001 and 2001:DB8:0:0:0:0:0:1'), '<public-ipv6-1> and <public-ipv6-1> and <public-ipv6-1>');
  t.is(
    r.text('dial [2001:db8::1]:443 from fe80::1%eth0, ::1 and fd00::5.'),
    'dial [<public-ipv6-1>]:443 from <link-local-ipv6-2>%eth0, <loopback-ipv6-3> and <private-ipv6-4>.',
  );
  t.is(r.text('full 2001:db8:85a3:0:0:8a2e:370:7334/64 upper FE80::ABCD'), 'full <public-ipv6-5>/64 upper <link-local-ipv6-6>');
  // An IPv4-mapped address is the IPv4 address: one placeholder for both spellings.
  t.is(r.text('10.1.1.1 is also ::ffff:10.1.1.1 and ::FFFF:a01:101'), '<private-ipv4-1> is also <private-ipv4-1> and <private-ipv4-1>');
  t.is(r.text('{"remote":"2001:db8::1","at":"x"}'), '{"remote":"<public-ipv6-1>","at":"x"}');
});

test('timestamps, durations, hashes, fingerprints, MACs and UIDs are not mistaken for addresses', (t) => {
  const r = redactAll();
  const lines = [
    '12:34:56',
    '2025-01-01T12:34:56.789Z',
    '2025-01-01 12:34:56.789123 +0000 UTC',
    'I0101 00:00:00.000000       1 watcher.go:112] polling',
    '[2025-06-01T10:00:00.000Z] "GET / HTTP/1.1" 200',
    'took 10:30 and 1h2m3s',
    'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'commit 23ce29c04f4a5b6c7d8e9f00112233445566aabb',
    '8A:77:BC:84:0E:38:92:8A:A0:E0:31:59:C7:7A:74:94:ED:D8:B7:F0:0E:2B:82:8F:28:D3:39:36:57:B6:6B:CA',
    'mac 00:1a:2b:3c:4d:5e',
    'uid a8d26006-d695-c2e4-2ea6-5a879a15a728',
    'std::vector and a :: b and key::value',
    'deadbeef:cafe',
  ];
  for (const line of lines) t.is(r.text(line), line);
  t.is(r.counts.addresses, 0);
  t.is(r.counts.keys, 0);
});

test('with addresses kept, addresses pass unchanged', (t) => {
  const r = keepAll();
  t.is(r.text('10.0.0.1 and 2001:db8::1'), '10.0.0.1 and 2001:db8::1');
  t.is(r.distinctAddresses, 0);
});

// ---------------------------------------------------------------------------------------------
// Tokens and headers

test('Authorization, Cookie and bearer tokens are removed, in headers, JSON and text', (t) => {
  const r = redactAll();
  const cases: Array<[string, string]> = [
    ['> Authorization: Bearer abc.def-ghi_12345678', `> Authorization: ${REDACTED}`],
    ['authorization: Basic dXNlcjpwYXNzd29yZA==', `authorization: ${REDACTED}`],
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: ${REDACTED}`],
    ['{"Authorization":"Bearer xyz12345678","x":1}', `{"Authorization":"${REDACTED}","x":1}`],
    ['{"msg":"header Authorization: Bearer xyz12345678\\" done"}', `{"msg":"header Authorization: ${REDACTED}\\" done"}`],
    ['Cookie: session=abc123; theme=dark', `Cookie: ${REDACTED}`],
    ['sent with bearer s3cr3tT0kenValue-ABCDEFG to upstream', `sent with bearer ${REDACTED} to upstream`],
    ['jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl here', `jwt ${REDACTED} here`],
    ['gcloud ya29.a0AfH6SMBx1234567890abcdefghij used', `gcloud ${REDACTED} used`],
    ['token: s3cr3t-token-value', `token: ${REDACTED}`],
    ['  access_token: "abc"', `  access_token: "${REDACTED}"`],
    ['{"id_token":"abc","refreshToken":"def"}', `{"id_token":"${REDACTED}","refreshToken":"${REDACTED}"}`],
    ['X-Auth-Token: abc123 and x-api-key=k1&y=2', `X-Auth-Token: ${REDACTED} and x-api-key=${REDACTED}&y=2`],
    ['password=hunter2 next', `password=${REDACTED} next`],
    ['proxy https://user:pa55w0rd@proxy.example.com:3128/x', `proxy https://${REDACTED}@proxy.example.com:3128/x`],
  ];
  for (const [input, expected] of cases) t.is(r.text(input), expected, input);
});

test('words about tokens are not tokens', (t) => {
  const r = redactAll();
  for (const line of ['no token found', 'tokens: 5', 'token_expiry: 2025-01-01', 'Authorization failed for user', 'secretNameRef: acme-prod'])
    t.is(r.text(line), line);
  t.is(r.counts.tokens, 0);
});

test('credential fields of objects are removed by name', (t) => {
  const r = redactAll();
  t.deepEqual(r.value({ token: 'abc', auth: { apiKey: 'k', password: 'p', Authorization: 'Bearer x' }, tokenCount: 3, name: 'token' }), {
    token: REDACTED,
    auth: { apiKey: REDACTED, password: REDACTED, Authorization: REDACTED },
    tokenCount: 3,
    name: 'token',
  });
});

test('redaction is idempotent: a second pass changes nothing and counts nothing', (t) => {
  const r = redactAll();
  const once = r.text(`Authorization: Bearer abcdefgh12345678\ntoken: t0k3n\nfrom 10.0.0.1 and 2001:db8::7\n${KEYS['PKCS#8']}`);
  const counts = { ...r.counts };
  t.is(r.text(once), once);
  t.deepEqual(r.counts, counts);
});

test('with tokens kept, tokens pass unchanged', (t) => {
  const r = keepAll();
  const text = 'Authorization: Bearer abcdefgh12345678 token: t0k3n';
  t.is(r.text(text), text);
});

// ---------------------------------------------------------------------------------------------
// Private keys

for (const [name, pem] of Object.entries(KEYS)) {
  test(`a ${name} key block is removed whole, every body line with it`, (t) => {
    for (const r of [redactAll(), keepAll()]) {
      const out = r.text(`before\n${pem}after`);
      t.is(out, `before\n${KEY_MARKER}\nafter`);
      t.deepEqual(leakedKeyLines(out, pem), []);
      t.is(r.counts.keys, 1);
    }
  });
}

test('a key inside a YAML block scalar, indented, leaves the rest of the document', (t) => {
  const pem = KEYS['EC (SEC1)']!;
  const yaml = `metadata:\n  annotations:\n    debug: |\n${pem
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n    next: 1\n`;
  t.is(redactAll().text(yaml), `metadata:\n  annotations:\n    debug: |\n      ${KEY_MARKER}\n    next: 1\n`);
});

test('a key on one line with escaped newlines (a JSON string) is cut out of the line', (t) => {
  const pem = KEYS['PKCS#8']!;
  const line = JSON.stringify({ level: 'info', msg: `loaded ${pem}`, at: 'x' });
  const out = redactAll().text(line);
  t.is(out, JSON.stringify({ level: 'info', msg: `loaded ${KEY_MARKER}\n`, at: 'x' }));
  t.deepEqual(leakedKeyLines(out, pem), []);
});

test('a key logged line by line behind a log prefix is dropped line by line', (t) => {
  const pem = KEYS['RSA (PKCS#1)']!;
  const stream = redactAll().lines();
  const input = [
    '2025-06-01T10:00:00Z connecting to 10.0.0.1',
    ...pem
      .trimEnd()
      .split('\n')
      .map((l) => `2025-06-01T10:00:01Z ${l}`),
    '2025-06-01T10:00:02Z done',
  ];
  const out = input.map((l) => stream.push(l));
  t.deepEqual(out.flat(), ['2025-06-01T10:00:00Z connecting to <private-ipv4-1>', `2025-06-01T10:00:01Z ${KEY_MARKER}`, '2025-06-01T10:00:02Z done']);
  // Every line of the block after BEGIN is dropped as it arrives: nothing of it is ever returned.
  t.deepEqual(
    out.slice(2, -1),
    input.slice(2, -1).map(() => []),
  );
  t.deepEqual(stream.end(), []);
});

test('the short last line of a key body is held back and dropped when the END line follows', (t) => {
  const stream = redactAll().lines();
  const lines = ['-----BEGIN PRIVATE KEY-----', 'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+LQmlQ', 'zk', '-----END PRIVATE KEY-----', 'next'];
  t.deepEqual(
    lines.map((l) => stream.push(l)),
    [[KEY_MARKER], [], [], [], ['next']],
  );
});

test('a held line that is not followed by an END line comes back as text', (t) => {
  const r = redactAll();
  t.is(
    r.text('-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+LQmlQ\ndone at 10.0.0.1'),
    `${KEY_MARKER}\ndone at <private-ipv4-1>`,
  );
  t.is(
    r.text('-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+LQmlQ\nretrying\nfailed'),
    `${KEY_MARKER}\nretrying\nfailed`,
  );
});

test('a key cut short (no END line) is removed, and the text after it comes back', (t) => {
  const pem = KEYS['PKCS#8']!;
  const lines = pem.split('\n');
  const cut = lines.slice(0, 6).join('\n');
  const out = redactAll().text(`${cut}\nERROR: could not parse key at 10.0.0.1`);
  t.is(out, `${KEY_MARKER}\nERROR: could not parse key at <private-ipv4-1>`);
  t.deepEqual(leakedKeyLines(out, pem), []);
});

test('a PEM key base64-encoded once more (a Secret data value) is removed', (t) => {
  const pem = KEYS['EC (SEC1)']!;
  const encoded = Buffer.from(pem).toString('base64');
  t.is(redactAll().text(`{"data":{"tls.key":"${encoded}"}}`), `{"data":{"tls.key":"${KEY_MARKER}"}}`);
});

test('a lone base64 body line or a long base64 run is removed, a hex digest is not', (t) => {
  const pem = KEYS['PKCS#8']!;
  const body = pem.split('\n').slice(1, -2);
  const r = redactAll();
  t.is(r.text(body[3]!), BASE64_MARKER);
  t.is(r.text(`  ${body[4]!}`), `  ${BASE64_MARKER}`);
  t.is(r.text(`der=${body.join('')} end`), `der=${BASE64_MARKER} end`);
  const hex = 'ab'.repeat(64);
  t.is(r.text(hex), hex);
  t.is(r.text(`digest ${hex}`), `digest ${hex}`);
});

test('certificate blocks keep their BEGIN and END lines but lose their base64 bodies', (t) => {
  const cert = `-----BEGIN CERTIFICATE-----\n${'MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnVu'}\n-----END CERTIFICATE-----`;
  t.is(redactAll().text(cert), `-----BEGIN CERTIFICATE-----\n${BASE64_MARKER}\n-----END CERTIFICATE-----`);
});

test('keys in object values are removed before they could be serialised', (t) => {
  const pem = KEYS['ENCRYPTED PKCS#8']!;
  const r = keepAll();
  const out = r.value({ metadata: { annotations: { 'example.com/key': pem, 'example.com/ip': '10.0.0.1' } } });
  t.deepEqual(out, { metadata: { annotations: { 'example.com/key': `${KEY_MARKER}\n`, 'example.com/ip': '10.0.0.1' } } });
});
