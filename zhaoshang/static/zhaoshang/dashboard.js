// The dashboard's charts (ECharts), drawn from the JSON the page embeds as #dashboard-data.
// No inline script or style: the Content-Security-Policy forbids both, so tooltips render as
// rich text inside the canvas rather than as HTML with style attributes.
(function () {
  "use strict";

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function chart(id) {
    var element = document.getElementById(id);
    if (!element || !window.echarts) {
      return null;
    }
    var instance = window.echarts.init(element, null, { renderer: "canvas" });
    // Marks the chart as drawn once its animation ended (the browser tests wait for it).
    instance.on("finished", function () { element.setAttribute("data-rendered", "true"); });
    window.addEventListener("resize", function () { instance.resize(); });
    return instance;
  }

  var tooltip = { trigger: "axis", renderMode: "richText" };

  function drawChildren(data) {
    var instance = chart("children-chart");
    if (!instance) {
      return;
    }
    var progress = number(data.timeProgress);
    instance.setOption({
      tooltip: tooltip,
      grid: { left: 48, right: 16, top: 32, bottom: 64 },
      xAxis: {
        type: "category",
        data: data.children.map(function (c) { return c.name; }),
        axisLabel: { interval: 0, rotate: data.children.length > 6 ? 30 : 0 },
      },
      // Keep the time-progress line in view even when every unit is far below it.
      yAxis: {
        type: "value",
        name: "%",
        max: function (extent) { return Math.ceil(Math.max(extent.max, progress) / 10) * 10; },
      },
      series: [
        {
          name: data.labels.completion,
          type: "bar",
          cursor: "pointer",
          data: data.children.map(function (c) {
            var value = number(c.completion);
            return {
              value: value === null ? 0 : value,
              itemStyle: { color: value !== null && value >= progress ? "#198754" : "#dc3545" },
            };
          }),
          markLine: {
            symbol: "none",
            label: { formatter: data.labels.timeProgress + " {c}%" },
            lineStyle: { type: "dashed", color: "#0d6efd" },
            data: [{ yAxis: progress }],
          },
        },
      ],
    });
    // Drill down: a click on a township's bar opens the dashboard of that township.
    instance.on("click", function (params) {
      var child = data.children[params.dataIndex];
      if (child) {
        window.location.search = child.url;
      }
    });
  }

  function drawFunds(data) {
    var instance = chart("funds-chart");
    if (!instance) {
      return;
    }
    instance.setOption({
      tooltip: tooltip,
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }) },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.verified, type: "bar", stack: "funds", color: "#198754",
          data: data.months.map(function (m) { return number(m.verified); }) },
        { name: data.labels.reported, type: "bar", stack: "funds", color: "#ffc107",
          data: data.months.map(function (m) { return number(m.reported); }) },
      ],
    });
  }

  function drawFunnel(data) {
    var instance = chart("funnel-chart");
    if (!instance) {
      return;
    }
    instance.setOption({
      tooltip: { trigger: "item", renderMode: "richText" },
      series: [
        {
          name: data.labels.reached,
          type: "funnel",
          sort: "none",
          left: "10%",
          width: "80%",
          minSize: "8%",
          label: { formatter: "{b}: {c}" },
          data: data.funnel.map(function (s) { return { name: s.label, value: s.reached }; }),
        },
      ],
    });
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    drawChildren(data);
    drawFunds(data);
    drawFunnel(data);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
