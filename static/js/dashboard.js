// Draws the outcome dashboard's charts from the figures the page carries (json_script), so
// the page has no inline script and the numbers are those of the tables beside them.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  // A long label (most are, in Russian) is drawn on several short lines: Chart.js gives the axis
  // at most part of the chart's width and cuts off what does not fit.
  function lines(label) {
    var result = [], line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 22) { result.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { result.push(line); }
    return result;
  }
  var paired = document.getElementById("paired-chart");
  if (paired && data.measures.length) {
    // Tall enough for every measure's label, on as many lines as it takes.
    paired.parentNode.style.height = (60 + 48 * data.measures.length) + "px";
    new window.Chart(paired, {
      type: "bar",
      data: {
        labels: data.measures.map(lines),
        datasets: [
          { label: data.labels.before, data: data.before, backgroundColor: "#adb5bd" },
          { label: data.labels.after, data: data.after, backgroundColor: "#6f42c1" }
        ]
      },
      options: {
        indexAxis: "y", animation: false, maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false } } }
      }
    });
  }
  var referrals = document.getElementById("referrals-chart");
  if (referrals && data.months.length) {
    new window.Chart(referrals, {
      type: "bar",
      data: { labels: data.months, datasets: [
        { label: data.referrals_label, data: data.referrals, backgroundColor: "#0d6efd" }
      ] },
      options: { animation: false, plugins: { legend: { display: false } } }
    });
  }
})();
