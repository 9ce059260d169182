/**
 * Formats a message as an RFC 5322 / MIME file (multipart/alternative, UTF-8, base64 bodies) so
 * development mail can be opened in any mail client. Pure: date, Message-ID and boundary come in.
 */

export interface EmlMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export interface EmlOptions {
  date: Date;
  messageId: string;
  boundary: string;
}

/** Header values never carry line breaks: a CR or LF in data would start a new header. */
function clean(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** RFC 2047 encoded-word for non-ASCII header text. */
export function encodeHeaderText(value: string): string {
  const text = clean(value);
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** `Name <addr>` with the display name encoded when needed; a bare address is left as is. */
export function encodeAddress(value: string): string {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(clean(value));
  if (!match) return clean(value).trim();
  const [, name = '', address = ''] = match;
  if (!name) return `<${address}>`;
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/^"|"$/g, '').replace(/(["\\])/g, '\\$1')}"` : encodeHeaderText(name);
  return `${display} <${address}>`;
}

function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  return (encoded.match(/.{1,76}/g) ?? ['']).join('\r\n');
}

export function formatEml(message: EmlMessage, options: EmlOptions): string {
  const lines = [
    `From: ${encodeAddress(message.from)}`,
    `To: ${encodeAddress(message.to)}`,
    `Subject: ${encodeHeaderText(message.subject)}`,
    `Date: ${options.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${clean(options.messageId)}>`,
    'MIME-Version: 1.0',
  ];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!/^[A-Za-z0-9-]+$/.test(name)) continue;
    lines.push(`${name}: ${encodeHeaderText(value)}`);
  }
  const b = options.boundary;
  lines.push(`Content-Type: multipart/alternative; boundary="${b}"`, '');
  lines.push(`--${b}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(message.text));
  lines.push(`--${b}`, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(message.html));
  lines.push(`--${b}--`, '');
  return lines.join('\r\n');
}
