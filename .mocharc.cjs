// Tests are TypeScript, run through tsx; integration tests start real qbittorrent-nox, hence the timeout.
module.exports = {
  require: ['tsx/cjs'],
  spec: ['test/**/*.test.ts'],
  timeout: 30000,
  exit: true,
};
