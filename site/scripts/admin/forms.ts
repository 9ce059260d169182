/** What the console's forms share: sending one, showing the API's refusal in it, reading a local time. */

/** A `datetime-local` value (the admin's zone) as an instant; empty stays absent. */
export const localToIso = (value: string): string | undefined => (value ? new Date(value).toISOString() : undefined);

/** An instant as a `datetime-local` value in the browser's zone, to the minute. */
export function isoToLocal(iso: string | Date): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Sends a form with `submit`, then empties it and calls `after`; a refusal is written in the form's `.error`
 * (the API's words, translated by `adminFetch`).
 */
export function wireForm(id: string, after: () => Promise<void>, submit: (data: FormData) => Promise<unknown>): void {
  const form = document.getElementById(id) as HTMLFormElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = form.querySelector('.error')!;
    error.textContent = '';
    try {
      await submit(new FormData(form));
      form.reset();
      await after();
    } catch (e) {
      error.textContent = (e as Error).message;
    }
  });
}
