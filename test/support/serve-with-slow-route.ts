/** The real entry point's serve(), plus `GET /test/slow?ms=`: a request that stays in flight (shutdown tests). */
import { defineRoute } from '../../adapters/http/route.js';
import { serve } from '../../composition/serve.js';

await serve({
  extraRoutes: [
    defineRoute({
      method: 'GET',
      path: '/test/slow',
      operationId: 'testSlow',
      tag: 'test',
      summary: 'Answers after ?ms= milliseconds',
      responses: {},
      async handler(ctx) {
        process.stderr.write('slow request started\n');
        await new Promise((done) => setTimeout(done, Number(ctx.query.ms)));
        ctx.body = { ok: true, finished: true };
      },
    }),
  ],
});
