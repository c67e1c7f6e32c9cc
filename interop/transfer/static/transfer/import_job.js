// The import job page: polls the job's figures and moves the progress bar; once the job has started
// or ended, reloads the page (its summary). Without this script the page refreshes itself (meta refresh).
(function () {
  "use strict";
  var root = document.getElementById("import-job");
  if (!root) return;
  var url = root.getAttribute("data-progress-url");
  var state = root.getAttribute("data-state");
  var bar = document.getElementById("import-progress");
  var done = document.getElementById("import-rows-done");
  var total = document.getElementById("import-rows-total");
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.parentNode.removeChild(refresh); // the polling takes over

  function show(figures) {
    if (bar) {
      bar.max = Math.max(figures.total, 1);
      bar.value = figures.done;
      bar.textContent = figures.done + " / " + figures.total;
    }
    if (done) done.textContent = String(figures.done);
    if (total) total.textContent = String(figures.total);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (figures) {
        if (figures.finished || figures.state !== state) {
          window.location.reload();
          return;
        }
        show(figures);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
