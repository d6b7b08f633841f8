// Draws the outcome dashboard's charts from the figures the page carries (json_script), so
// the page has no inline script and the numbers are those of the tables beside them.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var paired = document.getElementById("paired-chart");
  if (paired && data.measures.length) {
    new window.Chart(paired, {
      type: "bar",
      data: {
        labels: data.measures,
        datasets: [
          { label: data.labels.before, data: data.before, backgroundColor: "#adb5bd" },
          { label: data.labels.after, data: data.after, backgroundColor: "#6f42c1" }
        ]
      },
      options: { indexAxis: "y", animation: false, scales: { x: { min: 0, max: 100 } } }
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
