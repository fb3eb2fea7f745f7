// The usage page's charts, drawn with Chart.js from the tables of figures beside them: the tables are what the
// server sends (and what a screen reader reads); the canvases only draw them.
(() => {
  const CLASSES = [
    {label: "2xx", colour: "#15803d"},
    {label: "3xx", colour: "#1d4ed8"},
    {label: "4xx", colour: "#b45309"},
    {label: "5xx", colour: "#b91c1c"},
  ];
  const FIRST_CLASS_COLUMN = 1; // then 2xx..5xx, total, p50, p95
  const P50_COLUMN = 6;
  const P95_COLUMN = 7;

  if (typeof Chart === "undefined") {
    return; // the tables still hold every figure
  }

  const column = (rows, index) =>
    rows.map((row) => {
      const value = Number.parseFloat(row.cells[index].textContent);
      return Number.isNaN(value) ? null : value;
    });

  const axes = (stacked, title) => ({
    x: {stacked},
    y: {stacked, beginAtZero: true, title: {display: true, text: title}},
  });

  document.querySelectorAll("table.traffic").forEach((table) => {
    const rows = Array.from(table.tBodies[0].rows);
    const labels = rows.map((row) => row.cells[0].dataset.label);

    new Chart(document.getElementById(table.dataset.requestsChart), {
      type: "bar",
      data: {
        labels,
        datasets: CLASSES.map((statusClass, i) => ({
          label: statusClass.label,
          data: column(rows, FIRST_CLASS_COLUMN + i),
          backgroundColor: statusClass.colour,
        })),
      },
      options: {animation: false, maintainAspectRatio: false, scales: axes(true, "requests")},
    });

    new Chart(document.getElementById(table.dataset.latencyChart), {
      type: "line",
      data: {
        labels,
        datasets: [
          {label: "p50", data: column(rows, P50_COLUMN), borderColor: "#1d4ed8", backgroundColor: "#1d4ed8",
            pointStyle: "circle"},
          // Dashed and with other points as well as another colour, so the lines differ without colour too.
          {label: "p95", data: column(rows, P95_COLUMN), borderColor: "#b45309", backgroundColor: "#b45309",
            pointStyle: "rectRot", borderDash: [6, 4]},
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: axes(false, "ms"),
        plugins: {legend: {labels: {usePointStyle: true}}},
      },
    });
  });
})();
