// The token of a mailed link travels in the URL fragment (never sent to a server,
// never in an access log): copy it into the form, then drop it from the address bar.
(function () {
  "use strict";
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) { return; }
  document.querySelectorAll("[data-token-from-fragment]").forEach(function (input) {
    input.value = decodeURIComponent(match[1]);
  });
  window.history.replaceState(null, "", window.location.pathname);
})();
