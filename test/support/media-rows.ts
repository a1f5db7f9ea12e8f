/** A media row as an upload adds it: a small PNG of `owner`'s, its URL numbered `n`. */
export function uploadRow(owner: number, n: number) {
  return {
    userId: owner,
    url: `/media/${owner}-${n}.png`,
    contentType: 'image/png',
    width: 8,
    height: 8,
    bytes: 70,
    source: 'upload',
  } as const;
}
