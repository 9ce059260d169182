import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backgroundFor, contrast, usableOn } from '../../site/lib/color.ts';
import { accentStyle, severityBackground } from '../../site/lib/present.ts';

/** The custom properties of a CSS block: `--name: #hex;`. */
function variables(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([a-z_-]+):\s*(#[0-9a-f]{3,6})\s*;/gi)].map((m) => [m[1]!, m[2]!]));
}

const css = readFileSync(new URL('../../site/styles/global.css', import.meta.url), 'utf8');
const light = variables(/:root\s*\{([^}]*)\}/.exec(css)![1]!);
const dark = { ...light, ...variables(/@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)![1]!) };

const STATES = ['ok', 'degraded', 'partial', 'major', 'maintenance', 'unknown'];
const BANNERS = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance', 'unknown'];

describe('the palette reaches WCAG AA in both themes', () => {
  for (const [theme, v] of [['light', light], ['dark', dark]] as const) {
    it(`${theme}: text, secondary text, links and state words on the page and on cards`, () => {
      const failures: string[] = [];
      for (const fg of ['text', 'muted', 'link', ...STATES]) {
        for (const bg of ['bg', 'card']) {
          const ratio = contrast(v[fg]!, v[bg]!);
          if (ratio < 4.5) failures.push(`${fg} on ${bg}: ${ratio.toFixed(2)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it(`${theme}: banner text (headline and secondary lines) on every banner colour, and button text`, () => {
      for (const state of BANNERS) expect(contrast(v['on-banner']!, v[`banner-${state}`]!), state).toBeGreaterThanOrEqual(4.5);
      expect(contrast(v['on-button']!, v.button!)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('greys days without the provider\'s status in a colour that stands out from cards and page in both themes', () => {
    const uptimeCss = readFileSync(new URL('../../site/styles/uptime.css', import.meta.url), 'utf8');
    const upLight = variables(/:root\s*\{([^}]*)\}/.exec(uptimeCss)![1]!);
    const upDark = { ...upLight, ...variables(/@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(uptimeCss)![1]!) };
    for (const [theme, up, page] of [['light', upLight, light], ['dark', upDark, dark]] as const) {
      // WCAG asks 3:1 of a graphic; the cell reaches text's 4.5:1.
      for (const bg of ['bg', 'card']) expect(contrast(up['up-unknown']!, page[bg]!), `${theme} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      expect(up['up-unknown'], theme).not.toBe(up['up-none']);
    }
  });

  it('is dark in dark mode and does not force a light colour scheme', () => {
    expect(css).toMatch(/color-scheme:\s*light dark/);
    expect(css).not.toMatch(/color-scheme:\s*light\s*;/);
    expect(contrast(dark.bg!, '#000000')).toBeLessThan(2);
  });
});

describe('configured colours are only used where they keep AA', () => {
  it('darkens severity colours until white text on them passes (the shipped 2, 3 and 4 did not)', () => {
    const severities = [
      { level: 1 as const, color: '#c0262d' },
      { level: 2 as const, color: '#e8590c' },
      { level: 3 as const, color: '#b08800' },
      { level: 4 as const, color: '#1c7ed6' },
    ].map((s) => ({ ...s, name: { es: '', en: '', 'pt-BR': '' }, description: { es: '', en: '', 'pt-BR': '' } }));
    for (const s of severities) {
      const bg = severityBackground(s.level, severities);
      expect(contrast('#ffffff', bg), `severity ${s.level} ${bg}`).toBeGreaterThanOrEqual(4.6);
    }
    // A colour that already passes is kept as it is.
    expect(severityBackground(1, severities)).toBe('#c0262d');
    // The hue stays: the orange is still orange.
    expect(backgroundFor('#e8590c')).toMatch(/^#[a-f0-9]{6}$/);
  });

  it('uses the brand accent for links only in a theme where it passes, and for buttons only when white text passes', () => {
    expect(usableOn('#0b5cad', ['#ffffff', '#f5f6f8'])).toBe('#0b5cad');
    expect(usableOn('#0b5cad', ['#182029', '#0f1419'])).toBeUndefined();
    const darkBlue = accentStyle('#0b5cad');
    expect(darkBlue).toContain(':root{--link:#0b5cad');
    // Not used for links in dark mode, where it would be unreadable.
    expect(darkBlue).toMatch(/prefers-color-scheme: dark\)\{:root\{--link:#8cc4ff/);
    // A light yellow: unreadable on white, fine on the dark theme, never under white button text.
    const yellow = accentStyle('#ffd43b');
    expect(yellow).toBe('@media (prefers-color-scheme: dark){:root{--link:#ffd43b;--focus:#ffd43b;--accent-rule:#ffd43b;--button:#0b5cad}}');
    expect(accentStyle(null)).toBe('');
  });
});
