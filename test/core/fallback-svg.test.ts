import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderFallbackSvg, svgDataUri } from '../../core/images/index.js';

const decode = (uri: string) => Buffer.from(uri.slice('data:image/svg+xml;base64,'.length), 'base64').toString('utf8');

/** Every text node of the SVG, entities decoded, in document order. */
function textsOf(svg: string | unknown[]): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '#text') out.push(String(value));
        else if (key !== ':@') walk(value);
      }
    }
  };
  walk(typeof svg === 'string' ? new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(svg) : svg);
  return out;
}

/** The <text> elements' contents by font size: 88 initial, 40 name, 18 gender, 20 feature lines. */
function textsSized(svg: string, size: number): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const attributes = record[':@'] as Record<string, string> | undefined;
    if ('text' in record && attributes?.['@_font-size'] === String(size)) texts.push(textsOf([record]).join(''));
    else Object.entries(record).forEach(([key, value]) => key !== ':@' && walk(value));
  };
  walk(new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(svg));
  return texts;
}

function stopColours(svg: string): string[] {
  return [...svg.matchAll(/stop-color="([^"]+)"/g)].map((m) => m[1]);
}

describe('renderFallbackSvg', () => {
  it('is well-formed XML with the Korean name, gender and feature as text', () => {
    const svg = decode(svgDataUri(renderFallbackSvg({ name: '김민지', gender: '여성', feature: '밝은 미소의 대학생' })));
    expect(XMLValidator.validate(svg)).to.equal(true);
    expect(textsSized(svg, 40)).to.deep.equal(['김민지']);
    expect(textsSized(svg, 18)).to.deep.equal(['여성']);
    expect(textsSized(svg, 20)).to.deep.equal(['밝은 미소의 대학생']);
  });

  it('uses the first grapheme of the name as the initial', () => {
    const initialOf = (name: string) => textsSized(renderFallbackSvg({ name }), 88)[0];
    expect(initialOf('김민지')).to.equal('김');
    expect(initialOf('\u1100\u1175\u11B7민지')).to.equal('\u1100\u1175\u11B7'); // decomposed 김
    expect(initialOf('👩‍👩‍👧 family')).to.equal('👩‍👩‍👧');
    expect(initialOf('alice')).to.equal('A');
    expect(initialOf('')).to.equal('?');
  });

  it('escapes markup in every user string and stays well-formed', () => {
    const hostile = `<script>alert("x")</script>&'`;
    const svg = renderFallbackSvg({ name: hostile, feature: `]]><foo bar="1"/>${hostile}`, gender: '"><script>' });
    expect(XMLValidator.validate(svg)).to.equal(true);
    expect(svg.toLowerCase()).not.to.include('<script');
    expect(svg).not.to.include('<foo');
    expect(svg).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;');
    expect(textsOf(svg)[0]).to.equal(hostile); // <title>
    expect(textsSized(svg, 40)).to.deep.equal(['<script>alert("x")<…']); // the name, cut to one line
    expect(textsSized(svg, 18)).to.deep.equal(['"><script>']);
  });

  it('drops characters XML 1.0 forbids', () => {
    const svg = renderFallbackSvg({ name: 'a\u0000b\u0007c\ud800d\uFFFEe', feature: 'x\u001by\u0085z' });
    expect(XMLValidator.validate(svg)).to.equal(true);
    expect(svg).to.include('>abcde<');
    expect(svg).to.include('>xyz<');
  });

  it('has no scripts, event handlers or outside references', () => {
    const svg = renderFallbackSvg({ name: 'Mina', feature: 'https://example.com/x.png', gender: '여성' });
    expect(svg).not.to.match(/<script|\son\w+=|href|<image|<foreignObject|@import|url\((?!#)/i);
  });

  it('wraps a long feature into at most three lines, cut with an ellipsis', () => {
    const feature = '밝은 미소와 긴 생머리, 따뜻한 분위기의 20대 대학생. '.repeat(8);
    const svg = renderFallbackSvg({ name: '김민지', feature });
    expect(XMLValidator.validate(svg)).to.equal(true);
    const lines = textsSized(svg, 20);
    expect(lines).to.have.length(3);
    expect(lines[0].startsWith('밝은 미소와 긴 생머리,')).to.equal(true);
    expect(lines[2].endsWith('…')).to.equal(true);
    const width = (line: string) => [...line].reduce((sum, c) => sum + (/[\uAC00-\uD7A3]/.test(c) ? 2 : 1), 0);
    for (const line of lines) expect(width(line)).to.be.within(20, 38);
    expect(textsSized(renderFallbackSvg({ name: 'Bartholomew Maximilian Fitzgerald' }), 40)).to.deep.equal(['Bartholomew Maximil…']);
    expect(textsSized(renderFallbackSvg({ name: 'Mina', feature: 'short' }), 20)).to.deep.equal(['short']);
  });

  it('derives the two background colours from the name: equal names equal colours, different names different', () => {
    const a = stopColours(renderFallbackSvg({ name: '김민지' }));
    expect(a).to.have.length(2);
    expect(a[0]).not.to.equal(a[1]);
    expect(stopColours(renderFallbackSvg({ name: '김민지', feature: 'other' }))).to.deep.equal(a);
    const others = ['이서준', 'Mina', 'Alex', '박지훈'].map((name) => stopColours(renderFallbackSvg({ name })).join());
    expect(new Set([a.join(), ...others]).size).to.equal(5);
  });
});

describe('svgDataUri', () => {
  it('is a base64 data URI of the UTF-8 bytes that round-trips', () => {
    const svg = renderFallbackSvg({ name: '김민지 👩‍🎤', feature: '한글 feature' });
    const uri = svgDataUri(svg);
    expect(uri).to.match(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/);
    expect(decode(uri)).to.equal(svg);
    expect(Buffer.from(uri.split(',')[1], 'base64').equals(Buffer.from(svg, 'utf8'))).to.equal(true);
  });
});
