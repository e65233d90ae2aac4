// The packaging tests (native binaries for every platform; the linux/arm64 one runs under qemu), kept
// out of `npm test` because they need qemu-user-static, llvm-strip-14 and an arm64 sysroot:
// `npm run test:package`, which .ci/run runs after installing those.
export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  files: ['test/package.test.ts'],
  timeout: '120s',
};
