/* Maps without outside servers: Leaflet draws a bundled world outline and the portal's markers.
   Markup: <div class="map" data-map data-markers="ID-of-json-script" data-outline="URL"></div>, or
   data-markers-url="URL" for markers served as a GeoJSON FeatureCollection (a listing's, fetched so that
   the page itself stays the same size however many results have a location)
   Markers: [{"lat": 48.8, "lon": 2.3, "title": "...", "url": "...", "label": "...", "lang": "en", "dir": "ltr"}]
   (lang and dir only when the title is in another language than the page's) */
(function () {
  "use strict";
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  /* A GeoJSON FeatureCollection of points (served by a listing's markers address) as markers. */
  function fromGeoJSON(collection) {
    return (collection.features || []).map(function (feature) {
      var marker = Object.assign({}, feature.properties || {});
      var point = feature.geometry && feature.geometry.coordinates;
      if (point) { marker.lon = point[0]; marker.lat = point[1]; }
      return marker;
    });
  }
  function init(element) {
    if (element.dataset.markersUrl) {
      fetch(element.dataset.markersUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.statusText); }
          return response.json();
        })
        .then(function (collection) { draw(element, fromGeoJSON(collection)); })
        .catch(function () { element.classList.add("map-markers-missing"); draw(element, []); });
      return;
    }
    var source = document.getElementById(element.dataset.markers);
    draw(element, source ? JSON.parse(source.textContent) : []);
  }
  function draw(element, markers) {
    var map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 10, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    map.setView([15, 0], 1);
    fetch(element.dataset.outline)
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        var countries = topojson.feature(topology, topology.objects.countries);
        countries.features.forEach(window.CHMAntimeridian.unwrap);
        L.geoJSON(countries, {
          style: { color: "#6b7f73", weight: 0.6, fillColor: "#dfe9e2", fillOpacity: 1 },
          interactive: false,
        }).addTo(map).bringToBack();
      })
      .catch(function () { element.classList.add("map-outline-missing"); });
    var bounds = [];
    markers.forEach(function (marker) {
      if (typeof marker.lat !== "number" || typeof marker.lon !== "number") { return; }
      var circle = L.circleMarker([marker.lat, marker.lon], {
        radius: 7, color: "#083d27", weight: 2, fillColor: "#0d5c3b", fillOpacity: 0.85,
      }).addTo(map);
      // A title in another language than the page's carries its own lang and dir.
      var language = marker.lang
        ? ' lang="' + escapeHtml(marker.lang) + '" dir="' + escapeHtml(marker.dir || "ltr") + '"'
        : "";
      var title = "<span" + language + ">" + escapeHtml(marker.title) + "</span>";
      var html = marker.url ? '<a href="' + escapeHtml(marker.url) + '">' + title + "</a>" : title;
      if (marker.label) { html += "<br>" + escapeHtml(marker.label); }
      circle.bindPopup(html);
      circle.bindTooltip(title);
      bounds.push([marker.lat, marker.lon]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 5 }); }
    else if (bounds.length === 1) { map.setView(bounds[0], 4); }
    element.dataset.mapReady = String(bounds.length);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(init);
  });
})();
