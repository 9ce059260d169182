import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import es from '../../site/scripts/admin-dictionary/es.ts';
import en from '../../site/scripts/admin-dictionary/en.ts';
import chromeEn from '../../site/scripts/admin-dictionary/chrome-en.ts';
import { errorIn } from '../../site/scripts/admin-words.ts';
import { toEnglish, translator } from '../../site/scripts/admin-translate.ts';

const at = (iso: string) => `«${iso}»`;

/** Every leaf's path in a nested dictionary. */
const leaves = (o: object, prefix: string[] = []): string[][] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? leaves(v as object, [...prefix, k]) : [[...prefix, k]]));

/** The texts a console page writes in its markup: text between tags and the labelling attributes. */
function markupTexts(file: string): string[] {
  const source = readFileSync(file, 'utf8').replace(/^---[\s\S]*?---/, '').replace(/<script[\s\S]*?<\/script>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '\n');
  const attributes = [...source.matchAll(/(?:aria-label|placeholder|title|legend|alt)="([^"{]+)"/g)].map((m) => m[1]!.trim());
  const texts = source.replace(/<[^>]*>/g, '\n').replace(/\{[^{}]*\}/g, '\n').split('\n').map((t) => t.trim());
  return [...attributes, ...texts].filter((t) => /\p{L}/u.test(t) && !/[=<>{}]|^\)/.test(t));
}

describe('the console in English', () => {
  it('fills every word and sentence the Spanish dictionary has', () => {
    expect(leaves(en)).toEqual(leaves(es));
    for (const path of leaves(en)) expect(path.reduce((o: any, k) => o[k], en), path.join(' › ')).not.toBe('');
  });

  it('says why a window is refused in English, naming the field and the earliest start', () => {
    const body = { code: 'notice_too_short', message: 'starts_at 2026-12-01T14:00:00.000Z is only 2 h from now', details: { earliest_allowed_start: '2026-12-01T20:00:00.000Z' } };
    expect(errorIn(en, body, at)).toBe('Start: the maintenance must be announced further ahead. The earliest allowed start is «2026-12-01T20:00:00.000Z».');
    expect(errorIn(es, body, at)).toBe('Inicio: el mantenimiento debe anunciarse con más antelación. El inicio más temprano permitido es «2026-12-01T20:00:00.000Z».');
    expect(errorIn(en, { code: 'teapot', message: 'short and stout' }, at)).toBe('The server could not make the change (code “teapot”).');
  });

  it('translates a fixed text, keeping its spaces, and fills a patterned one, translating a value that is itself a text', () => {
    const t = translator({ Resolver: 'Resolve', 'Resolver «{}»': 'Resolve “{}”', '{} vence en {}': '{} due in {}', Respuesta: 'Response', '{} · {}': '{} · {}' });
    expect(t(' Resolver ')).toBe(' Resolve ');
    expect(t('Resolver «Caída en Bogotá»')).toBe('Resolve “Caída en Bogotá”');
    expect(t('Respuesta vence en 1 h 05 min')).toBe('Response due in 1 h 05 min');
    expect(t('Dueña · Resolver')).toBe('Dueña · Resolve');
    expect(t('Caída del hosting en Bogotá')).toBe('Caída del hosting en Bogotá');
  });

  it('has English for every text the console\'s pages write in their markup', () => {
    const same = new Set(['Editor', 'Postmortem', 'Statuspage', 'incident.io', 'Instatus', 'Google Cloud', 'Webhook', 'Slack', 'Discord', 'Microsoft Teams', 'Google Chat', 'Español', 'English', '· Vigía admin']);
    const files = [...readdirSync('site/pages/admin').map((f) => `site/pages/admin/${f}`), 'site/layouts/Admin.astro', 'site/components/AdminComponentPicker.astro'];
    const missing = files.flatMap((file) => markupTexts(file).filter((text) => !same.has(text) && toEnglish(text) === text).map((text) => `${file}: ${text}`));
    expect(missing).toEqual([]);
  });

  it('keeps no English text that is also a Spanish key (a translation never matches again)', () => {
    const keys = new Set(Object.keys(chromeEn));
    const loops = Object.entries(chromeEn).filter(([key, english]) => english !== key && keys.has(english) && chromeEn[english] !== english);
    expect(loops).toEqual([]);
  });

  it('asks every confirm() question through the one helper that puts it in the admin\'s language', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((f) => (f.isDirectory() ? files(`${dir}/${f.name}`) : [`${dir}/${f.name}`]));
    const bare = files('site')
      .filter((f) => /\.(ts|astro)$/.test(f) && f !== 'site/scripts/admin-translate.ts')
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((line) => /(?<![\w.])confirm\(/.test(line)).map((line) => `${f}: ${line.trim()}`));
    expect(bare).toEqual([]);
    expect(toEnglish('¿Eliminar la cuenta de ana@example.com?')).toBe('Remove the account of ana@example.com?');
    expect(toEnglish('¿Revocar el token «CI»? Los scripts que lo usan dejarán de funcionar.')).toBe('Revoke the token “CI”? The scripts that use it will stop working.');
    expect(toEnglish('¿Eliminar a ana@example.com? Se borran sus datos y el correo pendiente.')).toBe('Remove ana@example.com? Their data and pending mail are deleted.');
  });
});
