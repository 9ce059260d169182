import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sources } from '../../db/schema/index.ts';
import { STATE_COLOR } from '../../worker/embeds/colors.ts';
import { badgeSvg, textWidth } from '../../worker/embeds/badge.ts';
import { testApp } from '../helpers/app.ts';
import { admin, type TestApp } from './support.ts';

const NOW = '2026-11-20T15:00:00Z';
const svg = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'rect' || name === 'text' || name === 'g' });

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

async function readBadge(t: TestApp, path: string) {
  const res = await t.request(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  const root = svg.parse(await res.text()).svg;
  const texts = root.g[1].text as { '#text': string; textLength: string; x: string }[];
  return {
    root,
    title: root.title as string,
    label: texts[0]!['#text'],
    value: texts[1]!['#text'],
    valueFill: (root.g[0].rect as { fill: string }[])[1]!.fill,
    texts,
    rects: root.g[0].rect as { width: string; x?: string }[],
  };
}

const markSourcesOperational = (t: TestApp) => t.ctx.db.update(sources).set({ state: 'operational', stateSince: new Date(NOW) });

describe('SVG status badges', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
  });
  afterEach(() => t.close());

  it('never says operational while a component cannot be checked', async () => {
    // The test page's mail component is fed by a provider that has never been read.
    const badge = await readBadge(t, '/badge.svg');
    expect(badge.value).toBe('desconocido');
    expect(badge.valueFill).toBe(STATE_COLOR.unknown);
    expect(badge.title).toBe('Prueba Hosting, estado: desconocido');
    expect(badge.root.role).toBe('img');
    expect(badge.root['aria-label']).toBe(badge.title);
    expect((await readBadge(t, '/components/correo/badge.svg')).value).toBe('desconocido');
    expect((await readBadge(t, '/components/hosting/badge.svg')).value).toBe('operativo');
  });

  it('says the worst state in words, overall and per component, in each locale', async () => {
    await markSourcesOperational(t);
    t.publisher.changed('test');
    expect((await readBadge(t, '/badge.svg')).value).toBe('operativo');
    expect((await readBadge(t, '/en/badge.svg')).value).toBe('operational');

    await admin(t).openIncident({ title: 'Caída', severity: 2, message: 'Investigamos.', components: [{ id: 'hosting', status: 'partial_outage' }] });
    const overall = await readBadge(t, '/badge.svg');
    expect(overall).toMatchObject({ label: 'estado', value: 'caída parcial', valueFill: STATE_COLOR.partial_outage });
    const hosting = await readBadge(t, '/en/components/hosting/badge.svg');
    expect(hosting).toMatchObject({ label: 'Hosting web', value: 'partial outage', title: 'Prueba Hosting, Hosting web: partial outage' });
    expect((await readBadge(t, '/components/telefonia/badge.svg')).value).toBe('operativo');
  });

  it('fits each text in its box and escapes names', async () => {
    const hostile = svg.parse(badgeSvg({ label: 'WWW & <más> "x"', value: 'operativo', state: 'operational', title: 'A & <b>' })).svg;
    // The XML parser reads back exactly the text given: it was escaped, not taken as markup.
    expect(hostile.g[1].text[0]['#text']).toBe('WWW & <más> "x"');
    expect(hostile.title).toBe('A & <b>');
    const badge = await readBadge(t, '/components/correo/badge.svg');
    const [labelBox, valueBox] = badge.rects;
    expect(Number(badge.texts[0]!.textLength)).toBe(textWidth('Correo corporativo'));
    expect(Number(labelBox!.width)).toBe(textWidth('Correo corporativo') + 12);
    expect(Number(valueBox!.x)).toBe(Number(labelBox!.width));
    expect(Number(badge.root.width)).toBe(Number(labelBox!.width) + Number(valueBox!.width));
  });

  it('white text on every state colour, and on the label, has AA contrast (4.5:1)', () => {
    for (const [state, color] of Object.entries(STATE_COLOR)) expect(contrast('#ffffff', color), state).toBeGreaterThanOrEqual(4.5);
    expect(contrast('#ffffff', '#444444')).toBeGreaterThanOrEqual(4.5);
  });
});

describe('the embeddable widget', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
  });
  afterEach(() => t.close());

  it('/widget.js is one small script with the page\'s words, served to any origin', async () => {
    const res = await t.request('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const script = await res.text();
    expect(Buffer.byteLength(script)).toBeLessThan(5 * 1024);
    expect(script).toContain('/api/v2/status.json');
    expect(script).toContain('"desconocido"');
    expect(script).toContain('"home":"/en/"');
    // It parses as JavaScript.
    expect(() => new Function(script)).not.toThrow();
  });

  it('/widget.html shows the current state in words with a link to the page, and reads it again without reloading', async () => {
    const html = await (await t.request('/en/widget.html')).text();
    expect(html).toContain('<html lang="en">');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain("fetch('/api/v2/status.json'");
    expect(html).toContain('href="https://status.prueba.example/en/"');
    expect(html).toContain('Prueba Hosting, status: unknown');
    await markSourcesOperational(t);
    t.publisher.changed('test');
    expect(await (await t.request('/widget.html')).text()).toContain('Prueba Hosting, estado: operativo');
  });

  it('status.json carries the overall state, unknown included, next to the Statuspage indicator', async () => {
    const body = (await (await t.request('/api/v2/status.json')).json()) as { status: { indicator: string; state: string } };
    expect(body.status).toMatchObject({ indicator: 'none', state: 'unknown' });
  });
});
