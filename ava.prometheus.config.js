// npm run test:prometheus: the tests that need Debian's `prometheus` package (prometheus, promtool).
// Kept out of `npm test`, which needs only Node, kubectl and openssl.
export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  files: ['test/prometheus/**/*.test.ts'],
  timeout: '180s',
};
