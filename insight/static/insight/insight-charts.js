/* Charts (Chart.js) and world maps (Leaflet with the bundled outline) of the country profiles and
   dashboards, drawn from the JSON the page carries; the table after each gives the same figures.
   Chart: <canvas data-insight-chart="ID-of-json-script">, JSON {"labels": [...], "datasets":
     [{"label": "...", "data": [...], "colour": "#..." or "colours": ["#...", ...]}], "kind": "bar",
     "stacked": false, "horizontal": false, "axis": "...", "percent": false}
   Map: <div data-insight-map="ID-of-json-script" data-outline="URL">, JSON {"values": {"250": "reported"},
     "categories": [{"value": "reported", "label": "...", "colour": "#..."}]} (countries by M49 number) */
(function () {
  "use strict";
  var language = document.documentElement.lang || "en";
  var rtl = document.documentElement.dir === "rtl";

  function readJSON(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function formatNumber(value, percent) {
    var text = new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value);
    return percent ? text + "\u00a0%" : text;
  }

  function drawChart(canvas) {
    var data = readJSON(canvas.dataset.insightChart);
    if (!data || !data.labels.length) { return; }
    var valueAxis = data.horizontal ? "x" : "y";
    var categoryAxis = data.horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: data.stacked,
      max: data.percent && data.stacked ? 100 : undefined,
      title: { display: Boolean(data.axis), text: data.axis },
      ticks: { precision: 0, callback: function (value) { return formatNumber(value, data.percent); } }
    };
    scales[categoryAxis] = { stacked: data.stacked };
    if (rtl) {  /* read from the right: the x axis runs leftwards, the y axis stands on the right */
      scales.x.reverse = true;
      scales.y.position = "right";
    }
    var chart = new Chart(canvas, {
      type: data.kind || "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (dataset) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: dataset.colours || dataset.colour,
            borderColor: dataset.colours || dataset.colour
          };
        })
      },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        locale: language,
        scales: scales,
        plugins: {
          legend: { display: data.datasets.length > 1, rtl: rtl },
          tooltip: {
            rtl: rtl,
            callbacks: {
              label: function (context) {
                var value = data.horizontal ? context.parsed.x : context.parsed.y;
                return context.dataset.label + ": " + formatNumber(value, data.percent);
              }
            }
          }
        }
      }
    });
    canvas.dataset.chartReady = String(chart.data.datasets.length);
  }


  function drawMap(element) {
    var data = readJSON(element.dataset.insightMap);
    if (!data || typeof L === "undefined" || typeof topojson === "undefined") { return; }
    var colours = {};
    data.categories.forEach(function (category) { colours[category.value] = category.colour; });
    var map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 6, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    map.setView([20, 0], 1);
    fetch(element.dataset.outline)
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        var countries = topojson.feature(topology, topology.objects.countries);
        countries.features.forEach(window.CHMAntimeridian.unwrap);
        var coloured = 0;
        L.geoJSON(countries, {
          style: function (feature) {
            var colour = colours[data.values[feature.id]];
            if (colour) { coloured += 1; }
            return { color: "#4d5d53", weight: 0.6, fillColor: colour || "#ffffff", fillOpacity: 1 };
          },
          interactive: false
        }).addTo(map);
        element.dataset.mapReady = String(coloured);
      })
      .catch(function () { element.classList.add("map-outline-missing"); });
  }

  function init() {
    if (typeof Chart !== "undefined") {
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      document.querySelectorAll("canvas[data-insight-chart]").forEach(drawChart);
    }
    document.querySelectorAll("[data-insight-map]").forEach(drawMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
