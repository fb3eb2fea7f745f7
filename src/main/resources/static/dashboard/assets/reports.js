// The report page's script: follows a report being generated (reloading the page once it has completed or
// failed), and draws the chart of a completed report's rows with Chart.js, from the canvas's data-chart.
"use strict";

function followGeneration(status) {
  const poll = () => fetch(status.dataset.poll, { headers: { Accept: "application/json" } })
    .then((response) => response.ok ? response.json() : Promise.reject(new Error(String(response.status))))
    .then((answer) => {
      if (answer.status === "pending" || answer.status === "running") {
        status.textContent = answer.status;
        setTimeout(poll, 1000);
      } else {
        window.location.reload();
      }
    })
    .catch(() => setTimeout(poll, 5000));
  setTimeout(poll, 1000);
}

function drawChart(canvas) {
  const chart = JSON.parse(canvas.dataset.chart);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: [{ label: chart.measure, data: chart.values.map(Number), backgroundColor: "#1d4ed8", maxBarThickness: 48 }],
    },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } } },
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("report-status");
  if (status && status.dataset.poll) {
    followGeneration(status);
  }
  const canvas = document.getElementById("report-chart");
  if (canvas && window.Chart) {
    drawChart(canvas);
  }
});
