import { describe, expect, it } from 'vitest';
import { markdownChar } from '../../worker/delivery/chat/markdown.ts';
import { escapeWith, fitText, isWebUrl, oneLine } from '../../worker/delivery/chat/text.ts';
import { mrkdwnChar } from '../../worker/delivery/slack/escape.ts';

describe('chat text helpers', () => {
  it('keep text that fits as it is, escaped', () => {
    expect(fitText('a < b', 9, mrkdwnChar)).toBe('a &lt; b');
    expect(fitText('exactly10!', 10)).toBe('exactly10!');
  });

  it('cut text that does not fit with an ellipsis, within the limit, between whole escapes and characters', () => {
    expect(fitText('exactly11!!', 10)).toBe('exactly11…');
    expect(fitText('ab<<<<<<', 9, mrkdwnChar)).toBe('ab&lt;…');
    expect(fitText('🚧🚧🚧🚧🚧', 5)).toBe('🚧🚧…');
    expect(fitText('**********', 6, markdownChar)).toBe('\\*\\*…');
  });

  it('escape line-start markup only at the start of a line', () => {
    expect(escapeWith('# a # b\n- c - d\n12. e 3. f\n> g > h', markdownChar)).toBe('\\# a # b\n\\- c - d\n12\\. e 3. f\n\\> g > h');
  });

  it('drop control characters and make one line of a title', () => {
    expect(oneLine('a\u0000b\r\n  c\td')).toBe('ab c d');
  });

  it('take only web addresses as links', () => {
    expect(isWebUrl('https://status.example/a?b=1')).toBe(true);
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'https://a.example/<x>', 'ftp://a.example', '', null]) expect(isWebUrl(url)).toBe(false);
  });
});
