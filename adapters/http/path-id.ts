/** A row id in a path (`/api/posts/:id`); 0, which names no row, for anything else (so the answer is that row's 404). */
export function pathId(text: string | undefined): number {
  return text !== undefined && /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : 0;
}
