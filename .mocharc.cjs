// Tests are TypeScript, run through tsx; integration tests start real qbittorrent-nox, hence
// the timeout. MOCHA_SPEC narrows the run (CI's second pass on Node-RED 5 runs test/nodes).
module.exports = {
  require: ['tsx/cjs'],
  spec: [process.env.MOCHA_SPEC || 'test/**/*.test.ts'],
  timeout: 30000,
  exit: true,
};
