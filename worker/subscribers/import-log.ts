import { newId } from '../lib/ids.ts';
import type { ImportProgress, ImportReport } from './import.ts';

/** An import as the admin API shows it while it runs and for a while after. */
export interface ImportStatus {
  id: string;
  state: 'running' | 'done' | 'failed';
  format: 'csv' | 'json';
  consent_source: string;
  started_at: string;
  finished_at: string | null;
  /** Rows read so far, and what became of them. */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  /** Why a failed import stopped (the rows before were kept). */
  failure: string | null;
}

/** Finished imports kept for the admin to look at. */
const KEPT_FINISHED = 20;

/**
 * The imports of this process, running and recent, in memory: `GET /api/admin/subscribers/imports` reads it while an
 * import's request is still being answered.
 */
export class ImportLog {
  private readonly imports = new Map<string, ImportStatus>();

  constructor(private readonly now: () => Date) {}

  start(format: ImportStatus['format'], consentSource: string) {
    const status: ImportStatus = {
      id: newId(),
      state: 'running',
      format,
      consent_source: consentSource,
      started_at: this.now().toISOString(),
      finished_at: null,
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: 0,
      failure: null,
    };
    this.imports.set(status.id, status);
    this.trim();
    return {
      id: status.id,
      progress: (p: ImportProgress) => Object.assign(status, p),
      done: (report: ImportReport) => {
        Object.assign(status, {
          state: 'done',
          finished_at: this.now().toISOString(),
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          errors: report.errors.length + (report.errors_omitted ?? 0),
        });
      },
      failed: (message: string) => Object.assign(status, { state: 'failed', finished_at: this.now().toISOString(), failure: message }),
    };
  }

  /** Newest first. */
  list(): ImportStatus[] {
    return [...this.imports.values()].reverse().map((s) => ({ ...s }));
  }

  get(id: string): ImportStatus | undefined {
    const status = this.imports.get(id);
    return status && { ...status };
  }

  private trim(): void {
    const finished = [...this.imports.values()].filter((s) => s.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED))) this.imports.delete(old.id);
  }
}
