import { Buffer } from 'node:buffer';

export interface FallbackSvgInput {
  name: string;
  feature?: string;
  gender?: string;
}

const FONT = `'Noto Sans KR','Apple SD Gothic Neo','Malgun Gothic',sans-serif`;
/** Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F), plus C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const INVALID_XML = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|\p{Cs}/gu;
/** Graphemes drawn about twice as wide as a Latin letter: Hangul, CJK, full-width forms, emoji. */
const WIDE =
  /^(?:[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|\p{Extended_Pictographic})/u;
const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });

const clean = (text: string) => text.replace(INVALID_XML, '').replace(/\s+/g, ' ').trim();
const graphemes = (text: string) => Array.from(segmenter.segment(text), (s) => s.segment);
const width = (grapheme: string) => (WIDE.test(grapheme) ? 2 : 1);
const widthOf = (line: string[]) => line.reduce((sum, g) => sum + width(g), 0);
const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** FNV-1a over the UTF-16 code units: a stable, well-spread number per name. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Greedy wrap at spaces (anywhere in long words) into at most `maxLines` of `maxUnits`; … marks a cut. */
function wrap(text: string, maxUnits: number, maxLines: number): string[] {
  const lines: string[] = [];
  // The line as graphemes, and its width: adding one grapheme costs one width, not a new segmentation.
  let line: string[] = [];
  let used = 0;
  for (const g of graphemes(text)) {
    if (used + width(g) <= maxUnits) {
      line.push(g);
      used += width(g);
    } else if (lines.length === maxLines - 1) {
      while (line.length > 0 && used + 1 > maxUnits) used -= width(line.pop()!); // … is one unit
      return [...lines, `${line.join('').trimEnd()}…`];
    } else {
      const space = line.lastIndexOf(' ');
      lines.push(line.slice(0, space > 0 ? space : line.length).join(''));
      line = [...(space > 0 ? line.slice(space + 1) : []), g];
      if (line[0] === ' ') line.shift(); // clean() left single spaces only
      used = widthOf(line);
    }
  }
  return line.length > 0 ? [...lines, line.join('')] : lines;
}

/** A 512×512 portrait card for when no AI image is available: self-contained, no scripts, no outside references. */
export function renderFallbackSvg({ name, feature, gender }: FallbackSvgInput): string {
  const who = clean(name);
  const h = hash(who);
  const [hue1, hue2] = [h % 360, (h % 360) + 40 + ((h >>> 16) % 100)]; // the second 40°–140° on
  const initial = graphemes(who)[0]?.toUpperCase() ?? '?';
  const title = wrap(who, 20, 1)[0] ?? '';
  const caption = clean(gender ?? '');
  const lines = wrap(clean(feature ?? ''), 38, 3);
  const text = (y: number, size: number, content: string, extra = '') =>
    `<text x="256" y="${y}" font-size="${size}" text-anchor="middle"${extra}>${escapeXml(content)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" role="img">`,
    `<title>${escapeXml(who)}</title>`,
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">`,
    `<stop offset="0" stop-color="hsl(${hue1},70%,62%)"/><stop offset="1" stop-color="hsl(${hue2 % 360},65%,42%)"/>`,
    `</linearGradient></defs>`,
    `<rect width="512" height="512" fill="url(#bg)"/>`,
    `<circle cx="430" cy="70" r="120" fill="#fff" fill-opacity="0.08"/><circle cx="60" cy="470" r="90" fill="#fff" fill-opacity="0.06"/>`,
    `<g font-family="${escapeXml(FONT)}" fill="#fff">`,
    `<circle cx="256" cy="180" r="92" fill="#fff" fill-opacity="0.92"/>`,
    text(180, 88, initial, ` dominant-baseline="central" font-weight="700" fill="hsl(${hue1},55%,38%)"`),
    text(332, 40, title, ' font-weight="700"'),
    caption ? text(366, 18, caption, ' fill-opacity="0.85"') : '',
    ...lines.map((line, i) => text(412 + i * 30, 20, line, ' fill-opacity="0.95"')),
    `</g></svg>`,
  ].join('');
}

/** `data:image/svg+xml;base64,…` of the SVG's UTF-8 bytes. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
