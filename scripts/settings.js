// Node-RED settings for `npm start` and `npm run demo`: loopback only, project-local state.
module.exports = {
  uiHost: process.env.HOST || '127.0.0.1',
  flowFile: process.env.NODE_RED_FLOW_FILE || 'flows.json',
  credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET || 'audiobook-gaps-local-dev',
  httpAdminRoot: '/',
  httpNodeRoot: '/',
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  editorTheme: { projects: { enabled: false }, tours: false },
  logging: { console: { level: 'info', metrics: false, audit: false } },
  audiobookGaps: process.env.AUDIOBOOK_GAPS_STORE ? { storeDir: process.env.AUDIOBOOK_GAPS_STORE } : {},
};
