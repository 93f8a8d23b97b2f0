/* The form pieces several node editors share, so each exists once: the Client select (torrent-queue,
 * abs-import-watch), the queue options (qbit-queue, torrent-queue) and the ranking form
 * (mam-search, indexer-search). Node-RED serves this file at
 * resources/node-red-contrib-audiobook-gaps/editor-pieces.js and loads a node file's
 * <script src> before that file's own scripts and templates, so `defaults` can use it at
 * registration. A node's template names a piece with <div data-audiobook-gaps-piece="NAME"></div>;
 * fillTemplate() puts the rows there (the editor reads the template only when a dialog opens).
 * Labels stay in each node's own catalog: a piece writes data-i18n keys under the node's type.
 * Loaded once per node file that names it: everything here may run again. */
(function () {
  var E = (window.AudiobookGapsEditor = window.AudiobookGapsEditor || {});

  /** A form row of the given parts, on lines of their own as in a hand-written template (the
   *  white space between a label and its input is part of the layout). */
  function row(parts, id) {
    return '<div class="form-row"' + (id ? ' id="' + id + '"' : '') + '>\n' + parts.join('\n') + '\n</div>\n';
  }
  function label(ns, field, icon, key) {
    return '<label for="node-input-' + field + '"><i class="fa fa-' + icon + '"></i> <span data-i18n="' + ns + '.label.' + (key || field) + '"></span></label>';
  }
  function text(ns, field, width, placeholder) {
    return '<input type="text" id="node-input-' + field + '"' + (width ? ' style="width: ' + width + 'px"' : '') +
      (placeholder ? ' data-i18n="[placeholder]' + ns + '.placeholder.' + field + '"' : '') + '>';
  }
  function after(ns, key, html) {
    return ' <span data-i18n="' + (html ? '[html]' : '') + ns + '.text.' + key + '"></span>';
  }
  function checkboxRow(ns, field, html) {
    return row(['<label></label>', '<input type="checkbox" id="node-input-' + field + '" style="width: auto; margin: 0 4px 0 0;">' + after(ns, field, html)]);
  }
  function number(blankAllowed) {
    return RED.validators.number(blankAllowed);
  }
  /** The piece's default entries with per-node values (`{ maxSearches: 60 }`) put in. */
  function withValues(defaults, values) {
    Object.keys(values || {}).forEach(function (k) {
      if (!defaults[k]) throw new Error('AudiobookGapsEditor: no default "' + k + '" to set');
      defaults[k].value = values[k];
    });
    return defaults;
  }

  /** One `defaults` object from the node's own entries and the pieces', in the order given
   *  (the order Node-RED writes the properties into an exported flow). */
  E.defaults = function () {
    return $.extend.apply($, [{}].concat(Array.prototype.slice.call(arguments)));
  };

  // One config field per client type (Node-RED types a config field with one node type); the
  // Client select shows the one that counts; only that one must name a deployed config node
  // (no `required`: Node-RED would skip the validator for an empty value). The others keep their
  // value but are not used. A flow saved without `client` is qBittorrent's.
  var CLIENTS = [
    { client: 'qbittorrent', name: 'qBittorrent', field: 'server', config: 'qbit-server' },
    { client: 'transmission', name: 'Transmission', field: 'transmission', config: 'transmission-server' },
    { client: 'deluge', name: 'Deluge', field: 'deluge', config: 'deluge-server' },
  ];
  function picked(client) {
    return CLIENTS.filter(function (c) { return c.client === client; })[0] || CLIENTS[0];
  }
  function needed(client) {
    return function (v) {
      var cfg = v && v !== '_ADD_' ? RED.nodes.node(v) : null;
      return (this.client || 'qbittorrent') !== client || (!!cfg && cfg.valid !== false);
    };
  }
  E.clientSelect = {
    /** The client's name for a node label: 'Transmission' (qBittorrent when none is set). */
    name: function (client) { return picked(client).name; },
    defaults: function () {
      var d = { client: { value: 'qbittorrent' } };
      CLIENTS.forEach(function (c) { d[c.field] = { value: '', type: c.config, validate: needed(c.client) }; });
      return d;
    },
    rows: function (ns) {
      var options = CLIENTS.map(function (c) { return '<option value="' + c.client + '">' + c.name + '</option>'; }).join('\n');
      return row([label(ns, 'client', 'exchange'), '<select id="node-input-client" style="width: 70%">\n' + options + '\n</select>']) +
        CLIENTS.map(function (c) { return row([label(ns, c.field, 'server'), text(ns, c.field)], ns + '-row-' + c.field); }).join('');
    },
    /** oneditprepare: show only the picked client's config field. */
    prepare: function (ns, node) {
      var select = $('#node-input-client');
      function show() {
        var chosen = picked(select.val()).field;
        CLIENTS.forEach(function (c) { $('#' + ns + '-row-' + c.field).toggle(c.field === chosen); });
      }
      select.val(node.client || 'qbittorrent').on('change', show);
      show();
    },
  };

  // What a queue node adds besides its client: MAM account, category, tags, save path, limits.
  E.queueOptions = {
    defaults: function () {
      return {
        mam: { value: '', type: 'mam-account', required: false },
        category: { value: 'audiobooks' },
        tags: { value: '' },
        savePath: { value: '' },
        paused: { value: false },
        maxPerRun: { value: 10, required: true, validate: number() },
        dryRun: { value: false },
        requireApproval: { value: false },
      };
    },
    rows: function (ns) {
      return row([label(ns, 'mam', 'user'), text(ns, 'mam')]) +
        row([label(ns, 'category', 'folder'), text(ns, 'category', 0, true)]) +
        row([label(ns, 'tags', 'tags'), text(ns, 'tags', 0, true)]) +
        row([label(ns, 'savePath', 'hdd-o'), text(ns, 'savePath', 0, true)]) +
        row([label(ns, 'maxPerRun', 'sort-numeric-asc'), text(ns, 'maxPerRun', 80)]) +
        checkboxRow(ns, 'paused') + checkboxRow(ns, 'dryRun') + checkboxRow(ns, 'requireApproval', true);
    },
  };

  // How a search node ranks results: formats, title threshold, what is allowed, limits, sizes, weights.
  var ALLOW = ['allowOmnibus', 'allowAbridged', 'allowDramatised', 'allowTranslation'];
  E.ranking = {
    /** values: the node's own defaults where they differ (`{ maxSearches: 60 }`). */
    defaults: function (values) {
      var d = { formats: { value: 'm4b, m4a, mp3' }, titleThreshold: { value: 0.8, validate: number() } };
      ALLOW.forEach(function (f) { d[f] = { value: false }; });
      return withValues($.extend(d, {
        maxSearches: { value: 30, validate: number() },
        cacheHours: { value: 6, validate: number() },
        retryDays: { value: '1, 3, 7, 14' },
        candidatesPerGap: { value: 3, validate: number() },
        minMiBPerHour: { value: 14, validate: number(true) },
        maxMiBPerHour: { value: 300, validate: number(true) },
        minMiB: { value: 20, validate: number(true) },
        maxMiB: { value: 6144, validate: number(true) },
        weights: { value: '' },
      }), values);
    },
    /** options.placeholders: false for a node whose catalog has no placeholder texts. */
    rows: function (ns, options) {
      var hint = !options || options.placeholders !== false;
      var range = function (min, max) { return [text(ns, min, 60) + ' –', text(ns, max, 60)]; };
      return row([label(ns, 'formats', 'file-audio-o'), text(ns, 'formats', 0, hint)]) +
        row([label(ns, 'titleThreshold', 'text-width'), text(ns, 'titleThreshold', 80) + after(ns, 'titleThreshold')]) +
        row(['<label><span data-i18n="' + ns + '.label.allow"></span></label>'].concat(ALLOW.map(function (f) {
          return '<input type="checkbox" id="node-input-' + f + '" style="width: auto">' + after(ns, f);
        }))) +
        row([label(ns, 'maxSearches', 'tachometer'), text(ns, 'maxSearches', 80),
          after(ns, 'cacheHoursBefore') + ' ' + text(ns, 'cacheHours', 60) + after(ns, 'cacheHours')]) +
        row([label(ns, 'retryDays', 'repeat'), text(ns, 'retryDays', 0, hint)]) +
        row([label(ns, 'candidatesPerGap', 'list-ol'), text(ns, 'candidatesPerGap', 80) + after(ns, 'candidatesPerGap')]) +
        row([label(ns, 'minMiBPerHour', 'arrows-h')].concat(range('minMiBPerHour', 'maxMiBPerHour'))) +
        row([label(ns, 'minMiB', 'arrows-h')].concat(range('minMiB', 'maxMiB'))) +
        row([label(ns, 'weights', 'sliders'), text(ns, 'weights', 0, hint)]);
    },
  };

  var PIECES = { 'client-select': E.clientSelect, 'queue-options': E.queueOptions, ranking: E.ranking };

  /** The template text with each piece's rows in place of its marker; options by piece name. */
  E.expand = function (template, ns, options) {
    return template.replace(/<div data-audiobook-gaps-piece="([\w-]+)"><\/div>/g, function (_, name) {
      if (!PIECES[name]) throw new Error('AudiobookGapsEditor: no form piece "' + name + '" (in ' + ns + ')');
      return PIECES[name].rows(ns, (options || {})[name]);
    });
  };

  /** Fills the pieces into the node type's editor template (call it from the node's .html). */
  E.fillTemplate = function (type, options) {
    var template = $('script[data-template-name="' + type + '"]');
    if (!template.length) throw new Error('AudiobookGapsEditor: no editor template for ' + type);
    template.each(function () { this.text = E.expand(this.text, type, options); });
  };
})();
