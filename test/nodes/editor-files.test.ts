// A cheap, browser-free check of every node's editor files (runs on both Node-RED versions in CI):
// the .html registers the type package.json names, sits in the right palette category, has help
// with the sections a user looks for, every password credential of the runtime has a password
// field in the form, and every i18n key the editor file uses exists in locales/en-US, those of
// the shared form pieces (resources/editor-pieces.js) it names included.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };

function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** The help block: in the .html, or moved to locales/en-US/<type>.html (exactly one of them). */
function helpOf(type: string, html: string): string[] {
  const pattern = new RegExp(`<script type="text/html" data-help-name="${type}">([\\s\\S]*?)</script>`, 'g');
  const locale = `nodes/${type}/locales/en-US/${type}.html`;
  const sources = [html, existsSync(join(root, locale)) ? read(locale) : ''];
  return sources.flatMap((s) => [...s.matchAll(pattern)].map((m) => m[1]));
}

/** The editor's shared form pieces, run outside a browser: only their template text is used. */
const pieces = (() => {
  const context = { window: {} as Record<string, unknown>, $: { extend: Object.assign } };
  vm.runInNewContext(read('resources/editor-pieces.js'), context);
  return context.window.AudiobookGapsEditor as { expand(template: string, ns: string, options?: unknown): string };
})();

/** The .html with its template's shared pieces put in, with the options its fillTemplate call gives. */
function expanded(type: string, html: string): string {
  const call = new RegExp(`\\.fillTemplate\\('${type}'(?:, (\\{[^;]*\\}))?\\);`).exec(html);
  const options = call?.[1] ? vm.runInNewContext(`(${call[1]})`) : undefined;
  return pieces.expand(html, type, options);
}

function lookup(catalog: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), catalog);
}

describe('editor files of every node in package.json', () => {
  const types = Object.keys(pkg['node-red'].nodes);

  it('package.json lists the nodes, each pointing at the compiled file of its folder', () => {
    assert.ok(types.length >= 9, `only ${types.length} nodes listed`);
    for (const type of types) assert.equal(pkg['node-red'].nodes[type], `dist/nodes/${type}/${type}.js`);
  });

  for (const type of types) {
    describe(type, () => {
      const html = read(`nodes/${type}/${type}.html`);
      const ts = read(`nodes/${type}/${type}.ts`);
      const category = /registerType\(\s*'([^']+)'\s*,\s*\{[\s\S]*?category:\s*'([^']+)'/.exec(html);
      const isConfig = category?.[2] === 'config';

      it('registers the same type in the editor and the runtime, with a form', () => {
        assert.equal(category?.[1], type, 'the .html registers another type (or none)');
        assert.match(ts, new RegExp(`registerType\\(\\s*'${type}'`));
        assert.match(html, new RegExp(`data-template-name="${type}"`));
      });

      it('sits in the "audiobooks" palette category (config nodes: "config") and has an icon', () => {
        assert.ok(category?.[2] === 'audiobooks' || category?.[2] === 'config', `category ${category?.[2]}`);
        assert.match(html, /icon:\s*'font-awesome\/fa-[\w-]+'/);
        if (isConfig) assert.doesNotMatch(html, /inputs:\s*[1-9]/);
      });

      it('has exactly one help text with the sections users look for', () => {
        const help = helpOf(type, html);
        assert.equal(help.length, 1, `${help.length} help blocks`);
        const sections = [...help[0].matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1].trim());
        const wanted = isConfig ? ['Details', 'References'] : ['Inputs', 'Outputs', 'Details', 'References'];
        for (const section of wanted) assert.ok(sections.includes(section), `no "${section}" section (has ${sections.join(', ')})`);
      });

      it('has a password field for every credential the runtime declares as a password', () => {
        const creds = /registerType\([^)]*credentials:\s*\{([\s\S]*?)\}\s*\}\s*\)/.exec(ts)?.[1] ?? '';
        const passwords = [...creds.matchAll(/(\w+):\s*\{\s*type:\s*'password'\s*\}/g)].map((m) => m[1]);
        if (!isConfig) assert.deepEqual(passwords, [], 'only config nodes hold secrets');
        for (const name of passwords) {
          assert.match(html, new RegExp(`${name}:\\s*\\{\\s*type:\\s*'password'\\s*\\}`), `${name} is not a password credential in the .html`);
          assert.match(html, new RegExp(`<input type="password" id="node-config-input-${name}"`), `no password input for ${name}`);
        }
      });

      it('a template naming a shared form piece loads the pieces and fills them in at registration', () => {
        const named = [...html.matchAll(/data-audiobook-gaps-piece="([\w-]+)"/g)].map((m) => m[1]);
        if (!named.length) return;
        assert.match(html, /^<script type="text\/javascript" src="resources\/node-red-contrib-audiobook-gaps\/editor-pieces\.js"><\/script>/);
        assert.match(html, new RegExp(`\\.fillTemplate\\('${type}'`), 'the template is never filled');
        const form = expanded(type, html);
        assert.doesNotMatch(form, /data-audiobook-gaps-piece/);
        assert.ok(named.every((piece) => !/^\s*$/.test(pieces.expand(`<div data-audiobook-gaps-piece="${piece}"></div>`, type))));
      });

      it('every i18n key it uses exists in locales/en-US', () => {
        const file = `nodes/${type}/locales/en-US/${type}.json`;
        assert.ok(existsSync(join(root, file)), `${file} is missing`);
        const catalog = JSON.parse(read(file)) as Record<string, unknown>;
        assert.ok(catalog[type], `${file} has no "${type}" section`);
        const form = expanded(type, html);
        const keys = [
          ...[...form.matchAll(/data-i18n="(?:\[\w+\])?([^"]+)"/g)].map((m) => m[1]),
          ...[...form.matchAll(/\b_\('([^']+)'/g)].map((m) => m[1]),
        ].filter((k) => !k.startsWith('node-red:'));
        assert.ok(keys.length >= 2, 'the form labels are not translated');
        for (const key of keys) assert.equal(typeof lookup(catalog, key), 'string', `${key} is not in ${file}`);
      });
    });
  }
});
