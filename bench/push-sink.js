// A push gateway that takes everything: answers 200 at once and counts what it received.
// node bench/push-sink.js <port>; GET /count answers the number of notifications received.
const http = require('http');
let received = 0;
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.end(String(received));
    return;
  }
  req.on('data', () => {});
  req.on('end', () => { received++; res.writeHead(200); res.end(); });
}).listen(Number(process.argv[2]), '127.0.0.1');
