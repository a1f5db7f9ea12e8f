import { GenerateImage } from '../../../core/images/index.js';
import { PERSONA_REF_PROPERTIES, personaRefOf } from '../persona-ref.js';
import { defineRoute, routeModule } from '../route.js';
import { everyField, GENDER } from '../schemas.js';

export const imageRoutes = routeModule({ generateImage: GenerateImage }, ({ generateImage, logger }) => {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/images',
      operationId: 'generateImage',
      errors: { persona_not_found: '', rate_limited: 'Retry-After', upstream_unavailable: '' },
      tag: 'images',
      summary: 'Generate a portrait (AI, else an SVG card)',
      auth: true,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'gender', 'options'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 40, examples: ['지우'] },
          gender: GENDER,
          feature: { type: 'string', maxLength: 200, examples: ['단발머리에 동그란 안경'] },
          options: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 100 }, examples: [['따뜻한 조명', '카페 배경']] },
          ...PERSONA_REF_PROPERTIES,
        },
      },
      responses: {
        200: {
          description: 'The image as a data URI; `url` is set when an AI image was saved',
          schema: everyField({
            ok: { const: true },
            image: { type: 'string' },
            url: { type: ['string', 'null'] },
            source: { enum: ['ai', 'fallback'] },
          }),
        },
      },
      async handler(ctx, { userId, body }) {
        const { name, gender, feature, options } = body;
        const result = await generateImage.execute({ userId, name, gender, feature, options, persona: personaRefOf(body) });
        if (result.source === 'fallback') {
          const level = result.reason === 'media_write_failed' ? 'error' : result.reason === 'not_configured' ? 'debug' : 'warn';
          logger[level]({ reason: result.reason }, 'image fell back to SVG');
        }
        ctx.body = { ok: true, image: result.image, url: result.url, source: result.source };
      },
    }),
  ];
});
