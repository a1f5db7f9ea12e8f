// Bare Koa + @koa/router hello JSON: the framework floor under selfstar's GET /health.
import Router from '@koa/router';
import Koa from 'koa';

const app = new Koa();
const router = new Router();
router.get('/', (ctx) => {
  ctx.body = { hello: 'world' };
});
app.use(router.routes()).use(router.allowedMethods());
app.listen(Number(process.env.PORT), '127.0.0.1');
