import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_TEXT_LENGTH,
  markdownToPlainText,
  safeHttpUrl,
  toPlainLine,
  toPlainText,
} from '../../worker/upstream/sanitize.ts';

describe('toPlainText', () => {
  it('strips tags and drops script and style content entirely', () => {
    const text = toPlainText('<p>Calls <b>fail</b></p><script>alert("x")</script><style>p{color:red}</style><p>Retry later</p>');
    expect(text).toBe('Calls fail\nRetry later');
  });

  it('drops event-handler markup and iframes with their content', () => {
    expect(toPlainText('Hi <img src=x onerror="alert(1)"><iframe src="https://evil.example">inner</iframe>there')).toBe('Hi there');
  });

  it('decodes entities, including ones sanitize-html would re-escape', () => {
    expect(toPlainText('A &amp; B &lt;x&gt; &quot;q&quot; &#39;s&#39; caf&eacute;')).toBe('A & B <x> "q" \'s\' café');
  });

  it('keeps escaped markup as harmless text rather than executing it', () => {
    expect(toPlainText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>');
  });

  it('collapses whitespace, keeps paragraph breaks and removes control and direction-override characters', () => {
    expect(toPlainText('  a\t\t b\u00a0\u00a0c \r\n\r\n\r\n\r\n d\u202e\u0007e\u200b ')).toBe('a b c\n\nde');
  });

  it('caps the length without splitting a surrogate pair', () => {
    const long = '😀'.repeat(MAX_TEXT_LENGTH);
    const text = toPlainText(long);
    expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(text.endsWith('…')).toBe(true);
    expect(/[\ud800-\udbff]…$/.test(text)).toBe(false);
    expect(toPlainText('abcdef', 4)).toBe('abc…');
  });

  it('gives an empty string for non-strings', () => {
    expect(toPlainText(undefined)).toBe('');
    expect(toPlainText(42)).toBe('');
    expect(toPlainText({ toString: () => '<b>x</b>' })).toBe('');
  });

  const markupUnit = fc.constantFrom('<', '>', 'a', 'b', 'script', 'style', '/', ' ', '"', "'", '=', 'img', '!', '-', '\n', 'on', '?', '[', 'CDATA');

  it('never lets a complete tag through when the input holds no escaped markup', () => {
    fc.assert(
      fc.property(fc.string({ unit: markupUnit }), (input) => {
        const text = toPlainText(input);
        expect(text).not.toMatch(/<\/?[a-z][^<>]*>/i);
        expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      }),
      { numRuns: 300 },
    );
  });

  it('never keeps the content of a script element, whatever surrounds it', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '\n', '"', '=', '/') });
    const element = fc.constantFrom('<p>', '</p>', '<b class="x">', '</b>', '<br/>', '<img src=x onerror="alert(1)">', '<!-- c -->');
    const around = fc.array(fc.oneof(text, element), { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(around, around, (before, after) => {
        expect(toPlainText(`${before}<script>SECRET()</script>${after}`)).not.toContain('SECRET');
        expect(toPlainText(`${before}<style>.SECRET{}</style>${after}`)).not.toContain('SECRET');
      }),
      { numRuns: 300 },
    );
  });
});

describe('toPlainLine', () => {
  it('puts everything on one line', () => {
    expect(toPlainLine('<h1>Outage</h1>\n<p>in  <i>US</i></p>')).toBe('Outage in US');
  });
});

describe('markdownToPlainText', () => {
  it('keeps autolinks, link targets and line breaks, drops emphasis markers and raw HTML', () => {
    const text = markdownToPlainText('**Summary**\nSee <https://support.google.com/a/answer/7039155> or [the FAQ](https://example.com/faq).\n<script>x()</script>Done');
    expect(text).toBe('Summary\nSee https://support.google.com/a/answer/7039155 or the FAQ (https://example.com/faq).\nDone');
  });
});

describe('safeHttpUrl', () => {
  it('accepts http(s) and resolves relative links', () => {
    expect(safeHttpUrl('https://status.example.com/incidents/1')).toBe('https://status.example.com/incidents/1');
    expect(safeHttpUrl('incidents/abc', 'https://www.google.com/appsstatus/dashboard/')).toBe(
      'https://www.google.com/appsstatus/dashboard/incidents/abc',
    );
  });

  it('drops other schemes and garbage', () => {
    for (const value of ['javascript:alert(1)', 'data:text/html,<script>', 'ftp://x/y', 'not a url', '', 7, null]) {
      expect(safeHttpUrl(value)).toBeUndefined();
    }
  });
});
