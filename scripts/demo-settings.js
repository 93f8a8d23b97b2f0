// Node-RED settings for `npm run demo` only: the usual local settings, plus plain-text
// credentials (the demo writes flows_cred.json itself; the secrets are the simulators' own)
// and a short MyAnonamouse request interval, since the "MAM" here is a local simulator.
const base = require('./settings.js');

module.exports = {
  ...base,
  credentialSecret: false,
  audiobookGaps: {
    storeDir: process.env.AUDIOBOOK_GAPS_STORE,
    mamMinIntervalMs: Number(process.env.ABG_DEMO_MAM_INTERVAL_MS || 250),
  },
  logging: { console: { level: process.env.ABG_DEMO_LOG_LEVEL || 'info', metrics: false, audit: false } },
};
