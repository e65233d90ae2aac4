// The marker scanner keeps a bounded number of lines, and the newest ones: logs come oldest first,
// and a line newer than the secret's last write is what the ingress checks judge.
import test from 'ava';
import { markerScanner, type ScannedLines } from '../src/gather/log-scan.js';

test('past its bound the scanner keeps the newest lines, in log order, and never more than the bound and one trim', (t) => {
  const result: ScannedLines = { sources: [], lines: [] };
  const scanner = markerScanner(result, ['rejected'], { pod: 'gw', container: 'istio-proxy' });
  const total = 5000;
  for (let i = 0; i < total; i += 1) scanner.push(`2026-12-01T00:00:00.000000000Z line ${i} rejected\nline ${i} fine\n`);
  scanner.end();
  const numbers = result.lines.map((l) => Number(/line (\d+)/.exec(l.text)![1]));
  t.true(numbers.length >= 2000 && numbers.length < 2000 + 256, String(numbers.length));
  t.is(numbers[numbers.length - 1], total - 1);
  t.deepEqual(
    numbers,
    numbers.map((_, i) => total - numbers.length + i),
  );
  t.deepEqual(result.lines[0], { pod: 'gw', container: 'istio-proxy', time: '2026-12-01T00:00:00.000000000Z', text: `line ${numbers[0]} rejected` });
});
