// Draws the outcome dashboard's charts from the figures the page carries (json_script), so
// the page has no inline script and the numbers are those of the tables beside them. Titles,
// month names and numbers come in the page's language; long labels are wrapped onto several
// lines rather than cut off.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);

  function wrap(label, width) {
    var lines = [];
    var line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function title(text) {
    return { display: true, text: wrap(text, 48), font: { size: 14, weight: "bold" } };
  }

  var paired = document.getElementById("paired-chart");
  if (paired && data.measures.length) {
    // Tall enough for every measure's label, on as many lines as it takes.
    paired.parentNode.style.height = (60 + 48 * data.measures.length) + "px";
    new window.Chart(paired, {
      type: "bar",
      data: {
        labels: data.measures.map(function (label) { return wrap(label, 22); }),
        datasets: [
          { label: data.labels.before, data: data.before, backgroundColor: "#adb5bd" },
          { label: data.labels.after, data: data.after, backgroundColor: "#6f42c1" }
        ]
      },
      options: {
        locale: data.locale,
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        plugins: { title: title(data.paired_title) },
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
      options: {
        locale: data.locale,
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, title: title(data.referrals_title) },
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 90, minRotation: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }
})();
