/**
 * A mail is a subject and a list of blocks; the same blocks become the HTML part and the plain-text
 * part, so the two always say the same thing. Every value is plain text: the HTML writer escapes it,
 * so nothing a provider or an admin typed can become markup.
 */
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'facts'; items: { label: string; value: string }[] }
  /** A message written by staff or copied from a provider: kept as typed, line breaks included. */
  | { kind: 'quote'; text: string }
  | { kind: 'actions'; links: { label: string; url: string }[] }
  | { kind: 'note'; text: string };

export interface MailBody {
  subject: string;
  /** Short line shown by mail clients after the subject. */
  preheader?: string;
  blocks: Block[];
  /** Small print at the bottom (why you get this, manage, unsubscribe). */
  footer: Block[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only web links become links; anything else (javascript:, data:…) is shown as text. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>"']+$/i.test(url);
}

/** Control characters other than line breaks and tabs have no business in a mail body. */
const clean = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');

/** One line, no control characters, bounded: safe for a Subject header. */
export function cleanSubject(subject: string, max = 200): string {
  const line = subject.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const multiline = (text: string) => escapeHtml(clean(text)).replace(/\n/g, '<br>');

function linkHtml(label: string, url: string, style: string): string {
  return isWebUrl(url) ? `<a href="${escapeHtml(url)}" style="${style}">${escapeHtml(label)}</a>` : `${escapeHtml(label)}: ${escapeHtml(clean(url))}`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h1 style="font-size:20px;line-height:1.3;margin:0 0 16px;color:#1f2328;">${escapeHtml(clean(block.text))}</h1>`;
    case 'paragraph':
      return `<p style="font-size:16px;line-height:1.5;margin:0 0 16px;">${multiline(block.text)}</p>`;
    case 'note':
      return `<p style="font-size:14px;line-height:1.5;margin:0 0 16px;color:#57606a;">${multiline(block.text)}</p>`;
    case 'quote':
      return `<blockquote style="font-size:16px;line-height:1.5;margin:0 0 16px;padding:8px 16px;border-left:4px solid #d0d7de;color:#1f2328;">${multiline(block.text)}</blockquote>`;
    case 'facts':
      return (
        `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px;font-size:15px;line-height:1.5;">` +
        block.items
          .map(
            (f) =>
              `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:600;white-space:nowrap;">${escapeHtml(clean(f.label))}</th>` +
              `<td style="padding:4px 0;">${multiline(f.value)}</td></tr>`,
          )
          .join('') +
        `</table>`
      );
    case 'actions':
      return (
        `<p style="margin:0 0 16px;">` +
        block.links
          .map((l) => linkHtml(l.label, l.url, 'display:inline-block;margin:0 12px 8px 0;padding:10px 16px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px;font-size:15px;'))
          .join(' ') +
        `</p>`
      );
  }
}

function footerHtml(block: Block): string {
  if (block.kind === 'actions') {
    return `<p style="font-size:13px;line-height:1.5;margin:0 0 8px;color:#57606a;">${block.links.map((l) => linkHtml(l.label, l.url, 'color:#57606a;')).join(' · ')}</p>`;
  }
  const text = block.kind === 'facts' ? block.items.map((f) => `${f.label}: ${f.value}`).join('\n') : block.text;
  return `<p style="font-size:13px;line-height:1.5;margin:0 0 8px;color:#57606a;">${multiline(text)}</p>`;
}

export function renderHtml(body: MailBody, lang: string, brand: string): string {
  const preheader = body.preheader
    ? `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(clean(body.preheader))}</div>`
    : '';
  return (
    `<!doctype html>\n<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(cleanSubject(body.subject))}</title></head>` +
    `<body style="margin:0;padding:0;background:#f6f8fa;">${preheader}` +
    `<div role="article" aria-roledescription="email" aria-label="${escapeHtml(cleanSubject(body.subject))}" lang="${escapeHtml(lang)}" ` +
    `style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;color:#1f2328;${FONT};">` +
    `<p style="font-size:14px;margin:0 0 16px;color:#57606a;">${escapeHtml(clean(brand))}</p>` +
    body.blocks.map(blockHtml).join('\n') +
    (body.footer.length ? `<hr style="border:0;border-top:1px solid #d0d7de;margin:24px 0 16px;">` + body.footer.map(footerHtml).join('\n') : '') +
    `</div></body></html>\n`
  );
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return clean(block.text);
    case 'paragraph':
    case 'note':
      return clean(block.text);
    case 'quote':
      return clean(block.text)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'facts':
      return block.items.map((f) => `${clean(f.label)}: ${clean(f.value).replace(/\n/g, '\n  ')}`).join('\n');
    case 'actions':
      return block.links.map((l) => `${clean(l.label)}: ${clean(l.url)}`).join('\n');
  }
}

export function renderText(body: MailBody, brand: string): string {
  const parts = [clean(brand), ...body.blocks.map(blockText)];
  if (body.footer.length) parts.push('--', ...body.footer.map(blockText));
  return `${parts.join('\n\n')}\n`;
}
