import type { AuditEntry } from './store.ts';

const HEADER = ['at', 'actor_kind', 'actor', 'action', 'entity', 'entity_id', 'address', 'status', 'changes'];

/** A cell as RFC 4180 writes it; a leading =, +, - or @ is quoted away so a spreadsheet never runs it as a formula. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [HEADER.join(',')];
  for (const e of entries) {
    lines.push([e.at, e.actor.kind, e.actor.name, e.action, e.entity, e.entity_id, e.address, e.status, e.changes ? JSON.stringify(e.changes) : ''].map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
