// Copies what tsc does not: each node's .html editor file, icons/ and locales/, next to the
// compiled .js in dist/nodes/<name>/ (where Node-RED looks for them).
const { cpSync, existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const src = join(root, 'nodes');
const out = join(root, 'dist', 'nodes');

for (const name of readdirSync(src)) {
  const dir = join(src, name);
  if (!statSync(dir).isDirectory()) continue;
  for (const entry of readdirSync(dir)) {
    const from = join(dir, entry);
    if (entry.endsWith('.html') || entry === 'icons' || entry === 'locales') {
      cpSync(from, join(out, name, entry), { recursive: true });
    }
  }
}
if (existsSync(join(src, 'icons'))) cpSync(join(src, 'icons'), join(out, 'icons'), { recursive: true });
