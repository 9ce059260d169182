import type { UpstreamProblem } from './types.ts';

const MAX_PROBLEMS = 100;
const MAX_UNKNOWN_WORDS = 50;
const MAX_WORD_LENGTH = 80;

/**
 * Collects what an adapter noticed while parsing: unknown words and odd rows. Both lists are capped so a hostile
 * payload with a million bad rows cannot blow up a snapshot.
 */
export class ParseNotes {
  private readonly words = new Set<string>();
  private readonly problemList: UpstreamProblem[] = [];
  private problemsLeftOut = 0;

  /** Records a raw upstream word a table did not know. */
  unknownWord(raw: string): void {
    if (this.words.size >= MAX_UNKNOWN_WORDS) return;
    // Raw words go to logs and admin screens: keep them short and printable.
    const printable = raw.replace(/[^\x20-\x7e\u00a0-\u024f]/g, '?').slice(0, MAX_WORD_LENGTH);
    this.words.add(printable);
  }

  /** A row was left out of the snapshot. */
  dropped(where: string, message: string): void {
    this.add({ where, message, rowDropped: true });
  }

  /** A value was odd and a fallback was used; the row is kept. */
  replaced(where: string, message: string): void {
    this.add({ where, message, rowDropped: false });
  }

  get unknownWords(): string[] {
    return [...this.words];
  }

  get problems(): UpstreamProblem[] {
    if (this.problemsLeftOut === 0) return [...this.problemList];
    return [
      ...this.problemList,
      { where: '(more)', message: `${this.problemsLeftOut} more problems not listed`, rowDropped: false },
    ];
  }

  private add(problem: UpstreamProblem): void {
    if (this.problemList.length >= MAX_PROBLEMS) {
      this.problemsLeftOut += 1;
      return;
    }
    this.problemList.push(problem);
  }
}
