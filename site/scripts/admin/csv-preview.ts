/**
 * The subscriber import's preview: the CSV the admin chose, read in the browser (`email,components,locale,timezone`,
 * components separated by spaces or semicolons), so they see the rows before anything is sent, with the rows that
 * cannot be read said by number. The server checks every row again. Pure.
 */

export interface PreviewRow {
  /** 1-based, counting the header as row 1, as the server counts. */
  row: number;
  email: string;
  components: string[];
  locale?: string;
  timezone?: string;
}

export interface CsvPreview {
  rows: PreviewRow[];
  errors: { row: number; message: string }[];
}

/** One CSV record's fields (RFC 4180: quotes around a field, "" for a quote inside). */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(field), (field = '');
    else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function previewCsv(text: string): CsvPreview {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const header = fields(lines[0] ?? '').map((h) => h.toLowerCase());
  const at = (name: string) => header.indexOf(name);
  const preview: CsvPreview = { rows: [], errors: [] };
  if (at('email') < 0) {
    preview.errors.push({ row: 1, message: 'la primera fila debe nombrar las columnas, entre ellas «email»' });
    return preview;
  }
  lines.slice(1).forEach((line, i) => {
    const row = i + 2;
    if (!line.trim()) return;
    const f = fields(line);
    const email = f[at('email')] ?? '';
    if (!EMAIL.test(email)) {
      preview.errors.push({ row, message: `«${email}» no es una dirección de correo` });
      return;
    }
    const value = (name: string) => (at(name) >= 0 && f[at(name)] ? f[at(name)] : undefined);
    preview.rows.push({ row, email, components: (value('components') ?? '').split(/[\s;]+/).filter(Boolean), locale: value('locale'), timezone: value('timezone') });
  });
  return preview;
}
