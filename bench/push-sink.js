// A push gateway that takes everything: answers 200 at once, and measures each notification's delivery lag
// (received here minus its "created_at", when Mercato accepted it; same machine, same clock).
//   node bench/push-sink.js <port>
//   GET /stats  -> "<count> <p50 ms> <p99 ms>" over what was received since the last reset
//   GET /reset  -> forget the lags (the count of everything received stays)
const http = require('http');
let received = 0;
let lags = [];
const percentile = (sorted, p) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const sorted = [...lags].sort((a, b) => a - b);
    res.end(`${received} ${percentile(sorted, 0.5).toFixed(0)} ${percentile(sorted, 0.99).toFixed(0)}`);
    return;
  }
  if (req.method === 'GET' && req.url === '/reset') {
    lags = [];
    res.end('ok');
    return;
  }
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => {
    received++;
    try {
      const createdAt = JSON.parse(Buffer.concat(chunks).toString()).created_at;
      if (createdAt) lags.push(Date.now() - Date.parse(createdAt));
    } catch (e) { /* not a notification: counted, no lag */ }
    res.writeHead(200);
    res.end();
  });
}).listen(Number(process.argv[2]), '127.0.0.1');
