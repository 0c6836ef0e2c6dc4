// Draws the charts of a detail page with ECharts. Each chart's data comes from
// a JSON script element; the same figures are in the tables beside it, with
// their citations, for readers without JavaScript.
(function () {
  // Tooltips are HTML: every piece of data is escaped before it goes in.
  const esc = (value) => echarts.format.encodeHTML(String(value));
  function lineOptions(chart) {
    return {
      tooltip: { trigger: "item", formatter: (p) => `${esc(p.seriesName)}, ${esc(p.data.value[0])}: ${esc(p.data.label)} (${esc(p.data.source)})` },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "value", min: "dataMin", max: "dataMax", minInterval: 1, axisLabel: { formatter: (v) => String(v) } },
      yAxis: { type: "value", name: chart.unit, scale: true },
      series: chart.series.map((s) => ({
        name: s.name, type: "line", symbolSize: 9,
        data: s.points.map((p) => ({ value: [p.x, p.y], label: p.label, source: p.source })),
      })),
    };
  }
  function barOptions(chart) {
    return {
      tooltip: { trigger: "item", formatter: (p) => `${esc(p.data.name)}: ${esc(p.data.label)} (${esc(p.data.source)})` },
      grid: { left: 80, right: 20, top: 20, bottom: 40 },
      xAxis: { type: "category", data: chart.bars.map((b) => b.category) },
      yAxis: { type: "value", name: chart.unit },
      series: [{ type: "bar", data: chart.bars.map((b) => ({ value: b.y, label: b.label, name: b.name, source: b.source })) }],
    };
  }
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const chart = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", el.dataset.label);
      const instance = echarts.init(el);
      instance.setOption(chart.kind === "bar" ? barOptions(chart) : lineOptions(chart));
      window.addEventListener("resize", () => instance.resize());
      el.dataset.drawn = "true";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
