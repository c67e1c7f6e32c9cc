/* World outlines for the maps (js/map.js, insight/insight-charts.js): rings that cross the 180th
   meridian (Russia's far east, Fiji) would be drawn across the whole map; moving their western
   points east of 180 keeps each ring in one piece. */
window.CHMAntimeridian = (function () {
  "use strict";
  function unwrapRing(ring) {
    var east = ring.some(function (point) { return point[0] > 160; });
    var west = ring.some(function (point) { return point[0] < -160; });
    if (!(east && west)) { return ring; }
    return ring.map(function (point) { return point[0] < 0 ? [point[0] + 360, point[1]] : point; });
  }
  function unwrap(feature) {
    var geometry = feature.geometry;
    if (!geometry) { return; }
    if (geometry.type === "Polygon") { geometry.coordinates = geometry.coordinates.map(unwrapRing); }
    if (geometry.type === "MultiPolygon") {
      geometry.coordinates = geometry.coordinates.map(function (polygon) { return polygon.map(unwrapRing); });
    }
  }
  return { unwrap: unwrap };
})();
