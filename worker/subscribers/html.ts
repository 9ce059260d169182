import { createHash } from 'node:crypto';

/** Markup that is already safe; everything else interpolated into {@link html} is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** A template tag that escapes every interpolated value unless it is itself `html`. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;line-height:1.5}
body{margin:0;background:#f5f6f8;color:#1d232b}
main{max-width:36rem;margin:2rem auto;padding:1.25rem 1.5rem;background:#fff;border:1px solid #dfe3e8;border-radius:.6rem}
h1{font-size:1.3rem;margin:0 0 .75rem}
a{color:#0b5cad}
.brand{display:block;font-weight:700;color:#1d232b;text-decoration:none;margin-bottom:1rem}
.note{background:#e7f5ee;border-left:4px solid #0b7a53;padding:.5rem .75rem}
.problem{background:#fdecec;border-left:4px solid #c0262d;padding:.5rem .75rem}
fieldset{border:1px solid #dfe3e8;border-radius:.4rem;margin:0 0 1rem;padding:.5rem .9rem}
legend{font-weight:600}
label{display:block;margin:.25rem 0}
.field{margin:0 0 1rem}
.field>label{font-weight:600}
select,input[type=email]{font:inherit;padding:.35rem;max-width:100%}
button{font:inherit;padding:.45rem 1rem;border-radius:.4rem;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}
.hint{color:#5b6573;font-size:.9rem;margin:.2rem 0}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * The pages are reached through links carrying secrets: no scripts at all, no referrer (the token must
 * not leak to the status page), forms only back to this server, and never framed.
 */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

export function page(options: { locale: string; title: string; siteName: string; homeHref: string; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${options.title} · ${options.siteName}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
<a class="brand" href="${options.homeHref}">${options.siteName}</a>
${options.body}
</main>
</body>
</html>
`.value;
}
