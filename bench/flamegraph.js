// Turns async-profiler's collapsed stacks into a flame graph (SVG) coloured by Mercato's layers, and prints what
// share of the samples each layer took, as a Markdown table.
//   node bench/flamegraph.js <profile.collapsed> <out.svg> "<title>"
//
// A sample belongs to the innermost frame that names a layer: a hash lookup inside the rate limiter counts as
// the rate limiter, a socket write inside the JDBC driver as the database, a JSON write inside the controller
// as JSON. Samples with no Java frame of a layer (the JIT compiler, the garbage collector) are named by their
// native frames.
const fs = require('fs');

const LAYERS = [
  ['database: JDBC, pool, driver', '#7fb800', f => /^(org\.postgresql|com\.zaxxer\.hikari|org\.springframework\.jdbc)\./.test(f)],
  ['JSON (Jackson)', '#00a6ed', f => /^(tools\.jackson|com\.fasterxml\.jackson)\./.test(f)],
  ['access log', '#f6511d', f => /^dev\.mercato\.logs\./.test(f)],
  ['rate limits', '#ffb400', f => /^(dev\.mercato\.ratelimit|io\.github\.bucket4j)\./.test(f)],
  ['authentication: API key, JWT', '#d7263d', f =>
    /^(dev\.mercato\.auth|com\.nimbusds)\./.test(f)
    || /^org\.springframework\.security\.oauth2\.(server\.resource|jwt)\./.test(f)
    || /^org\.springframework\.security\.authentication\./.test(f)],
  ['metrics and observation', '#9b5de5', f =>
    /^io\.micrometer\./.test(f) || /ServerHttpObservationFilter|ObservationFilterChainDecorator/.test(f)],
  ['Spring Security filter chain', '#c2185b', f => /^org\.springframework\.security\./.test(f)],
  ['request id, limits, conventions (web)', '#ff7aa2', f => /^dev\.mercato\.(web|security|shared)\./.test(f)],
  ['Mercato: controllers, services', '#3e8914', f => /^dev\.mercato\./.test(f)],
  ['Spring MVC dispatch', '#6c757d', f => /^org\.springframework\.(web|http|core|beans|context|util)\./.test(f)],
  ['Tomcat: HTTP, sockets', '#8d6e63', f => /^(org\.apache\.(catalina|coyote|tomcat))\./.test(f)],
  ['logging (Logback, SLF4J)', '#ffd166', f => /^(ch\.qos\.logback|org\.slf4j)\./.test(f)],
  ['JIT compiler', '#adb5bd', f => /CompileBroker|C2Compiler|Compile::|C1_|Compilation::|PhaseIdealLoop|PhaseChaitin/.test(f)],
  ['garbage collector', '#495057', f => /G1|GCTask|ParallelGC|WorkerThread|Gang|ConcurrentMark|SafepointSynchronize/.test(f)],
];
const OTHER = ['other: JDK, kernel, JVM', '#dee2e6'];

const [input, output, title] = process.argv.slice(2);
const normalize = frame => frame.replace(/_\[[a-z0-9]\]$/, '').replace(/\//g, '.');
const layerOf = frames => {
  for (let i = frames.length - 1; i >= 0; i--) {
    const layer = LAYERS.find(([, , test]) => test(frames[i]));
    if (layer) return layer;
  }
  return OTHER;
};

const root = { name: 'all', count: 0, children: new Map(), layer: OTHER };
const shares = new Map();
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  const cut = line.lastIndexOf(' ');
  if (cut < 0) continue;
  const count = Number(line.slice(cut + 1));
  if (!count) continue;
  const frames = line.slice(0, cut).split(';').map(normalize);
  const layer = layerOf(frames);
  shares.set(layer[0], (shares.get(layer[0]) || 0) + count);
  root.count += count;
  let node = root;
  frames.forEach((frame, depth) => {
    if (!node.children.has(frame)) node.children.set(frame, { name: frame, count: 0, children: new Map(), layer: OTHER });
    node = node.children.get(frame);
    node.count += count;
    // A frame's colour is the layer of the innermost layer frame at or above it.
    node.layer = layerOf(frames.slice(0, depth + 1));
  });
}

const WIDTH = 1600, ROW = 16, TOP = 40;
let maxDepth = 0;
const rects = [];
const layout = (node, x, depth) => {
  maxDepth = Math.max(maxDepth, depth);
  let childX = x;
  for (const child of [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const width = (child.count / root.count) * WIDTH;
    if (width >= 1) { // narrower frames would not show, and would only make the file larger
      rects.push({ node: child, x: childX, width, depth });
      layout(child, childX, depth + 1);
    }
    childX += width;
  }
};
layout(root, 0, 0);
const escape = text => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const legendRows = Math.ceil((LAYERS.length + 1) / 4);
const height = TOP + (maxDepth + 1) * ROW + 20 + legendRows * 18;
const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">`,
  `<rect width="100%" height="100%" fill="white"/>`,
  `<text x="4" y="18" font-family="sans-serif" font-size="15" font-weight="bold">${escape(title)}</text>`,
  `<text x="4" y="32" font-family="sans-serif" fill="#555">${root.count} samples; a frame's width is its share of them (hover for the count); callers at the bottom, colour = layer</text>`];
const bottom = TOP + maxDepth * ROW;
for (const { node, x, width, depth } of rects) {
  const y = bottom - depth * ROW;
  const percent = ((node.count / root.count) * 100).toFixed(2);
  out.push(`<g><title>${escape(node.name)} (${node.count} samples, ${percent}%; ${escape(node.layer[0])})</title>`
    + `<rect x="${x.toFixed(2)}" y="${y}" width="${width.toFixed(2)}" height="${ROW - 1}" fill="${node.layer[1]}"/>`
    + (width > 40 ? `<text x="${(x + 2).toFixed(2)}" y="${y + 11}">${escape(node.name.slice(0, Math.floor(width / 6.6)))}</text>` : '')
    + '</g>');
}
[...LAYERS, OTHER].forEach(([name, color], i) => {
  const x = 4 + (i % 4) * 390, y = bottom + ROW + 16 + Math.floor(i / 4) * 18;
  out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${color}"/><text x="${x + 18}" y="${y}" font-family="sans-serif">${escape(name)}</text>`);
});
out.push('</svg>');
fs.writeFileSync(output, out.join('\n') + '\n');

console.log('| layer | share of samples |');
console.log('| --- | ---: |');
for (const [name] of [...LAYERS, OTHER]) {
  const count = shares.get(name) || 0;
  if (count) console.log(`| ${name} | ${((count / root.count) * 100).toFixed(1)}% |`);
}
