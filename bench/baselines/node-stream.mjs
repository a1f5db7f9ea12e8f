// node:http streaming a file from MEDIA_ROOT the way a static file server does: stat, then a read stream.
import { createReadStream, stat } from 'node:fs';
import http from 'node:http';
import { basename, join } from 'node:path';

const root = process.env.MEDIA_ROOT;

http
  .createServer((req, res) => {
    const file = join(root, basename(req.url));
    stat(file, (error, stats) => {
      if (error || !stats.isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': stats.size });
      createReadStream(file).pipe(res);
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
