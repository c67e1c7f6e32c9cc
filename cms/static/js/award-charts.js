/* Charts of an award cycle's published scores, drawn with Chart.js from the figures the page
   carries in a JSON script element (the table beside the charts shows the same figures).
   Markup: <canvas data-award-chart="totals|criteria" data-award-data="ID-of-json-script"></canvas>
   Data: {"labels": {"total": "...", "mean": "..."}, "criteria": ["..."],
          "nominations": [{"label": "...", "category": "...", "total": 12.5, "means": [3.5, null]}]} */
(function () {
  "use strict";
  var COLOURS = ["#1b6b47", "#c07a12", "#2f5d9b", "#9b2f5d", "#5d9b2f", "#6b1b47", "#12a0c0", "#7a7a7a"];

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.awardData);
    return source ? JSON.parse(source.textContent) : null;
  }

  function nominationLabel(nomination) {
    return nomination.category ? nomination.label + " (" + nomination.category + ")" : nomination.label;
  }

  function totalsChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.nominations.map(nominationLabel),
        datasets: [{
          label: data.labels.total,
          data: data.nominations.map(function (nomination) { return nomination.total; }),
          backgroundColor: COLOURS[0]
        }]
      },
      options: { indexAxis: "y", locale: document.documentElement.lang, plugins: { legend: { display: false } } }
    });
  }

  function criteriaChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.criteria,
        datasets: data.nominations.map(function (nomination, index) {
          return {
            label: nominationLabel(nomination),
            data: nomination.means,
            backgroundColor: COLOURS[index % COLOURS.length]
          };
        })
      },
      options: {
        locale: document.documentElement.lang,
        scales: { y: { beginAtZero: true, title: { display: true, text: data.labels.mean } } }
      }
    });
  }

  function init() {
    if (typeof Chart === "undefined") { return; }
    var rtl = document.documentElement.dir === "rtl";
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-award-chart]"), function (canvas) {
      var data = readData(canvas);
      if (!data || !data.nominations.length) { return; }
      var chart = canvas.dataset.awardChart === "totals" ? totalsChart(canvas, data) : criteriaChart(canvas, data);
      if (rtl) {  /* read from the right: values grow leftwards, the value axis on the right */
        chart.options.plugins.legend.rtl = true;
        chart.options.plugins.tooltip.rtl = true;
        chart.options.scales.x = Object.assign(chart.options.scales.x || {}, { reverse: true });
        chart.options.scales.y = Object.assign(chart.options.scales.y || {}, { position: "right" });
        chart.update();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
