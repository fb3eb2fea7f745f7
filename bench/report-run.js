// Generates one report through the API and waits for it: POST /v2/reports/generate, then GET /v2/reports/{id}
// every 50 ms on one kept-alive connection until it has completed or failed. (A curl and a jq process per poll took
// enough CPU from the report it waited for, on two cores, to slow it by a fifth or more.)
//   BENCH_ADMIN_KEY=<key> node bench/report-run.js <port> '<request body>'
// Prints "<id> <ms from POST to seeing it done> <row count>", or "<id> <ms> failed: <error>".
const http = require('http');
const [port, body] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const headers = { Authorization: `Bearer ${process.env.BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' };

const request = (method, path, data) => new Promise((resolve, reject) => {
  const req = http.request({ host: 'localhost', port, method, path, headers, agent }, res => {
    const chunks = [];
    res.on('data', chunk => chunks.push(chunk));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      if (res.statusCode >= 300) reject(new Error(`${method} ${path} -> ${res.statusCode} ${text}`));
      else resolve(JSON.parse(text));
    });
  });
  req.on('error', reject);
  req.end(data);
});
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

(async () => {
  const start = process.hrtime.bigint();
  const { id } = await request('POST', '/v2/reports/generate', body);
  let report;
  do {
    await sleep(50);
    report = await request('GET', `/v2/reports/${id}`); // the rows come only once it is done, the first page of them
  } while (report.status === 'pending' || report.status === 'running');
  const ms = Number((process.hrtime.bigint() - start) / 1000000n);
  console.log(report.status === 'completed' ? `${id} ${ms} ${report.row_count}` : `${id} ${ms} failed: ${report.error}`);
  agent.destroy();
})().catch(error => {
  console.error(error.message);
  process.exit(1);
});
