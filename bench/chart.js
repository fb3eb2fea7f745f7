// Draws the benchmark's chart: for every scenario, its rate as a share of the ceiling app's (with the target)
// and its p99 latency, this run beside the previous one. Reads <results>/summary.tsv and run.tsv (written by
// bench/run.sh) and the previous run's copies in <chart dir>, writes <chart dir>/chart.svg, then keeps this run's
// files in <chart dir> for the next run to be compared with.
//   node bench/chart.js bench/results docs/benchmark
const fs = require('fs');
const path = require('path');

const [results, chartDir] = process.argv.slice(2);
const readRows = file => fs.existsSync(file)
  ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => line.split('\t'))
  : [];
const summary = file => new Map(readRows(file).map(([key, label, rps, p50, p99, errors, ratio, target]) =>
  [key, { label, rps: +rps, p50: +p50, p99: +p99, errors: +errors, ratio: ratio === '-' ? null : +ratio,
          target: target === '-' ? null : +target }]));
const runInfo = file => Object.fromEntries(readRows(file));

const current = summary(path.join(results, 'summary.tsv'));
const previous = summary(path.join(chartDir, 'summary.tsv'));
const currentRun = runInfo(path.join(results, 'run.tsv'));
const previousRun = runInfo(path.join(chartDir, 'run.tsv'));

const escape = text => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS = { previous: '#b0b7c3', current: '#2f6fdf', target: '#d9480f' };
const rows = [...current.entries()].filter(([key]) => key !== 'ceiling');
const ROW = 34, TOP = 78, LABEL = 260, PANEL = 300, GAP = 60;
const height = TOP + rows.length * ROW + 40;
const width = LABEL + 2 * PANEL + GAP + 40;
const out = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`);
out.push(`<rect width="100%" height="100%" fill="white"/>`);
const ceiling = current.get('ceiling');
out.push(`<text x="10" y="20" font-size="15" font-weight="bold">Mercato benchmark, ${escape(currentRun.run || '')}</text>`);
out.push(`<text x="10" y="38" fill="#555">ceiling app ${ceiling ? Math.round(ceiling.rps) : '?'} req/s this run`
  + (previous.get('ceiling') ? `, ${Math.round(previous.get('ceiling').rps)} in the previous run (${escape(previousRun.run || '')})` : ', no previous run')
  + `; ${escape(currentRun.java || '')}</text>`);

const panels = [
  { title: 'rate / ceiling app (same run); target marked', x: LABEL, value: s => s.ratio, max: 1.2, format: v => v.toFixed(2) },
  { title: 'p99 latency, ms', x: LABEL + PANEL + GAP, value: s => s.p99,
    max: Math.max(1, ...[...current.values(), ...previous.values()].map(s => s.p99 || 0)), format: v => v.toFixed(1) },
];
for (const panel of panels) {
  out.push(`<text x="${panel.x}" y="${TOP - 14}" font-weight="bold">${escape(panel.title)}</text>`);
  out.push(`<line x1="${panel.x}" y1="${TOP - 6}" x2="${panel.x}" y2="${TOP + rows.length * ROW}" stroke="#999"/>`);
}
rows.forEach(([key, now], index) => {
  const y = TOP + index * ROW;
  out.push(`<text x="${LABEL - 8}" y="${y + 17}" text-anchor="end">${escape(now.label)}</text>`);
  for (const panel of panels) {
    const scale = v => Math.max(0, Math.min(1, v / panel.max)) * (PANEL - 50);
    const before = previous.get(key);
    [[before, 'previous', y + 3], [now, 'current', y + 15]].forEach(([s, which, barY]) => {
      const v = s ? panel.value(s) : null;
      if (v === null || v === undefined || Number.isNaN(v)) return;
      out.push(`<rect x="${panel.x}" y="${barY}" width="${scale(v).toFixed(1)}" height="11" fill="${COLORS[which]}"/>`);
      out.push(`<text x="${(panel.x + scale(v) + 4).toFixed(1)}" y="${barY + 10}" font-size="10">${panel.format(v)}</text>`);
    });
    if (panel === panels[0] && now.target !== null) {
      const tx = panel.x + scale(now.target);
      out.push(`<line x1="${tx.toFixed(1)}" y1="${y}" x2="${tx.toFixed(1)}" y2="${y + 29}" stroke="${COLORS.target}" stroke-width="2"/>`);
    }
  }
});
const legendY = TOP + rows.length * ROW + 22;
[['previous run', COLORS.previous], ['this run', COLORS.current], ['target', COLORS.target]].forEach(([text, color], i) => {
  out.push(`<rect x="${LABEL + i * 120}" y="${legendY - 10}" width="12" height="12" fill="${color}"/>`);
  out.push(`<text x="${LABEL + i * 120 + 18}" y="${legendY}">${text}</text>`);
});
out.push('</svg>');

fs.mkdirSync(chartDir, { recursive: true });
fs.writeFileSync(path.join(chartDir, 'chart.svg'), out.join('\n') + '\n');
for (const file of ['summary.tsv', 'run.tsv']) fs.copyFileSync(path.join(results, file), path.join(chartDir, file));
