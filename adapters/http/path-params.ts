/**
 * A row id in a path (`/api/posts/:id`): digits as a row's id is written. Anything else names no row, so
 * the route answers that row's 404 (its `notFound`), as for an id that is not there.
 */
export const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
} as const;

/** A file name in a path (`/media/:file`); the route checks it against the files it serves. */
export const FILE_PARAMS = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string' } },
} as const;
