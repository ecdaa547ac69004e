// Searchable selects (Tom Select, vendored in static/vendor): every <select data-search>
// (core/widgets.py SearchSelect) and every select of more than MANY options gets a search box; several choices
// are picked by clicking (no Ctrl-click) and removed by their ×. A select with data-search-url holds
// only its chosen options and asks that url (a scoped JSON endpoint) for the others as the user
// types. No inline script: the CSP allows none.
(function () {
  "use strict";
  var MANY = 15;

  function wanted(select) {
    if (select.tomselect || select.dataset.search === "off") return false;
    return "search" in select.dataset || select.options.length > MANY;
  }

  function enhance(select) {
    var url = select.dataset.searchUrl;
    var options = {
      allowEmptyOption: true,
      create: false,
      maxOptions: 500,
      plugins: select.multiple ? ["remove_button"] : [],
    };
    if (url) {
      options.valueField = "id";
      options.labelField = "text";
      options.searchField = ["text"];
      options.load = function (query, callback) {
        var join = url.indexOf("?") < 0 ? "?" : "&";
        fetch(url + join + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      };
    }
    new TomSelect(select, options);
  }

  function enhanceAll(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select").forEach(function (select) {
      if (wanted(select)) enhance(select);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhanceAll(event.target); });
})();
