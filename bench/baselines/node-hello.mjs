// Bare node:http hello JSON: the FastAPI peer's NODE_HELLO (bench.py), with an import instead of require.
import http from 'node:http';

http
  .createServer((req, res) => {
    const body = JSON.stringify({ hello: 'world' });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  })
  .listen(+process.env.PORT, '127.0.0.1');
