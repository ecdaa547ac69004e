// The map (ECharts geo): the county's outline and its neighbours from our own static GeoJSON, and the
// points of projects (one series per stage), landed enterprises and parks from parks:map_points, and
// the schematic township layer (a labelled circle per township; a click shows only its points).
// Nothing is fetched from anywhere else (government intranets); no inline script or style (CSP).
(function () {
  "use strict";

  var element = document.getElementById("map-chart");
  if (!element || !window.echarts) {
    return;
  }
  var labels = JSON.parse(document.getElementById("map-labels").textContent);

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.json();
      }
    );
  }

  function point(p) {
    return { name: p.name, value: [Number(p.value[0]), Number(p.value[1])], url: p.url, township: p.township };
  }

  // The focus county's box with a margin of a third on each side, so its neighbours show around it.
  function bounds(features) {
    var lons = [];
    var lats = [];
    features.forEach(function (f) {
      var polygons = f.geometry.type === "MultiPolygon" ? f.geometry.coordinates : [f.geometry.coordinates];
      polygons.forEach(function (polygon) {
        polygon[0].forEach(function (xy) { lons.push(xy[0]); lats.push(xy[1]); });
      });
    });
    if (!lons.length) {
      return undefined;
    }
    var west = Math.min.apply(null, lons);
    var east = Math.max.apply(null, lons);
    var south = Math.min.apply(null, lats);
    var north = Math.max.apply(null, lats);
    var dx = (east - west) / 3;
    var dy = (north - south) / 3;
    return [[west - dx, north + dy], [east + dx, south - dy]];
  }

  function scatter(name, data, color, symbol) {
    return {
      id: "points-" + name,
      name: name,
      type: "scatter",
      coordinateSystem: "geo",
      symbol: symbol,
      symbolSize: 10,
      cursor: "pointer",
      itemStyle: { color: color, borderColor: "#fff", borderWidth: 1 },
      data: data.map(point),
    };
  }

  Promise.all([getJSON(element.getAttribute("data-boundary")), getJSON(element.getAttribute("data-points"))])
    .then(function (loaded) {
      var boundary = loaded[0];
      var points = loaded[1];
      window.echarts.registerMap("county", boundary);
      var focus = boundary.features.filter(function (f) { return f.properties.focus; });
      var instance = window.echarts.init(element, null, { renderer: "canvas" });
      instance.on("finished", function () { element.setAttribute("data-rendered", "true"); });
      window.addEventListener("resize", function () { instance.resize(); });
      var layers = points.stages.map(function (stage) {
        var of = points.projects.filter(function (p) { return p.stage === stage.value; });
        return { source: of, series: scatter(labels.projects + " · " + stage.label, of, stage.color, "circle") };
      }).filter(function (layer) { return layer.source.length > 0; });
      layers.push({ source: points.enterprises, series: scatter(labels.enterprises, points.enterprises, "#1d6fa5", "diamond") });
      layers.push({ source: points.parks, series: scatter(labels.parks, points.parks, "#c0392b", "triangle") });
      // Schematic: a place per township, not its boundary (there are no township polygons); drawn
      // first, so that the points lie above it.
      var townships = {
        id: "townships",
        name: labels.townships,
        type: "scatter",
        coordinateSystem: "geo",
        symbol: "circle",
        symbolSize: 46,
        cursor: "pointer",
        itemStyle: { color: "rgba(29, 111, 165, 0.12)", borderColor: "#1d6fa5", borderWidth: 1.5, borderType: "dashed" },
        label: { show: true, position: "bottom", formatter: "{b}", color: "#1d4e75", fontSize: 12, fontWeight: "bold" },
        data: points.townships.map(function (t) {
          return { name: t.name, value: [Number(t.value[0]), Number(t.value[1])], township: t.id, placed: t.placed };
        }),
      };
      var series = [townships].concat(layers.map(function (layer) { return layer.series; }));
      // A detail page's "show on the map": centred and zoomed on its point, marked with a pin.
      var centre = (element.getAttribute("data-centre") || "").split(",").map(Number);
      var centred = centre.length === 2 && !isNaN(centre[0]) && !isNaN(centre[1]);
      if (centred) {
        var here = scatter(labels.here, [{ name: labels.here, value: centre }], "#d62728", "pin");
        here.symbolSize = 28;
        series.push(here);
      }
      instance.setOption({
        tooltip: {
          trigger: "item",
          renderMode: "richText",
          formatter: function (p) {
            var placed = p.data && p.data.placed ? labels[p.data.placed] : "";
            return placed ? p.name + " (" + labels.townships + ": " + placed + ")" : p.name;
          },
        },
        legend: { type: "scroll", orient: "horizontal", bottom: 0 },
        geo: {
          map: "county",
          roam: true,
          boundingCoords: bounds(focus),
          center: centred ? centre : undefined,
          zoom: centred ? 4 : 1,
          label: { show: true, color: "#666", fontSize: 11 },
          itemStyle: { areaColor: "#f4f6f8", borderColor: "#8a96a3" },
          emphasis: { disabled: true },
          regions: focus.map(function (f) {
            return { name: f.properties.name, itemStyle: { areaColor: "#e3eef9", borderColor: "#1d6fa5", borderWidth: 2 } };
          }),
        },
        series: series,
      });
      var counter = document.querySelector("[data-testid=map-count]");
      var shownBox = document.querySelector("[data-testid=map-township]");
      var shownName = document.querySelector("[data-testid=map-township-name]");
      var shown = null;
      // Say under the map (and on the element, for the tests) how many points show, and of which
      // township.
      function say(count) {
        element.setAttribute("data-points-count", String(count));
        element.setAttribute("data-township", shown === null ? "" : String(shown.township));
        if (counter) {
          counter.textContent = labels.count + " " + count;
        }
        if (shownBox && shownName) {
          shownBox.hidden = shown === null;
          shownName.textContent = shown === null ? "" : labels.township_shown + " " + shown.name;
        }
      }
      // Only the points of one township (null: all).
      function showTownship(township) {
        shown = township;
        var count = 0;
        // Nothing may stay hovered or tipped across the change of data (ECharts would look up a point
        // that is gone).
        instance.dispatchAction({ type: "hideTip" });
        instance.dispatchAction({ type: "downplay" });
        instance.setOption({
          series: layers.map(function (layer) {
            var of = layer.source.filter(function (p) { return shown === null || p.township === shown.township; });
            count += of.length;
            return { id: layer.series.id, data: of.map(point) };
          }),
        });
        say(count);
      }
      instance.on("click", function (params) {
        if (params.seriesId === "townships" && params.data) {
          showTownship(shown !== null && shown.township === params.data.township ? null : params.data);
        } else if (params.data && params.data.url) {
          window.location.href = params.data.url;
        }
      });
      var showAll = document.querySelector("[data-testid=map-show-all]");
      if (showAll) {
        showAll.addEventListener("click", function () { showTownship(null); });
      }
      // Every point is drawn already: no second setOption while the page loads (a pointer resting
      // where the last page was clicked hovered a point that the second one replaced, and ECharts
      // failed on it: "Cannot read properties of null").
      say(layers.reduce(function (n, layer) { return n + layer.source.length; }, 0));
    })
    .catch(function (error) {
      element.setAttribute("data-error", String(error));
    });
})();
