/* The Test connection button of the config nodes' editors (abs-server, qbit-server,
 * mam-account, hardcover-account). Node-RED serves this file at
 * resources/node-red-contrib-audiobook-gaps/test-connection.js. The button posts the form's
 * current values to the node type's admin endpoint, which never answers with a secret. */
(function () {
  window.AudiobookGaps = window.AudiobookGaps || {};
  /**
   * node: the config node being edited; type: its type; fields: form field names to send;
   * credentials: credential field names. An untouched password field holds __PWRD__: the runtime
   * then uses the stored secret, but only for the deployed node's own URL; an emptied field is
   * sent (and tested) as empty. The body is JSON: the endpoints refuse anything else.
   */
  window.AudiobookGaps.wireTestButton = function (node, type, fields, credentials) {
    $('#node-config-' + type + '-test').on('click', function (e) {
      e.preventDefault();
      var result = $('#node-config-' + type + '-test-result');
      var body = { id: node.id, credentials: {} };
      fields.forEach(function (f) { body[f] = $('#node-config-input-' + f).val(); });
      credentials.forEach(function (f) { body.credentials[f] = $('#node-config-input-' + f).val(); });
      var show = function (ok, text) { result.css('color', ok ? '#2e7d32' : '#c62828').text((ok ? '✓ ' : '✗ ') + text); };
      result.css('color', '').text(node._(type + '.test.testing'));
      $.ajax({ url: 'audiobook-gaps/' + type + '/test', type: 'POST', contentType: 'application/json', data: JSON.stringify(body) })
        .done(function (res) {
          show(res.ok, res.ok ? res.result : res.error);
        })
        .fail(function (xhr) {
          var denied = xhr.status === 401 || xhr.status === 403;
          show(false, denied ? node._(type + '.test.notPermitted') : xhr.statusText || node._(type + '.test.failed'));
        });
    });
  };
})();
