import type { ChildProcess } from 'node:child_process';

/** Sends `message` to a child process (nothing when empty) and resolves with the `key` of the first answer carrying it. */
export function ask<T>(child: ChildProcess, message: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (answer: Record<string, unknown>) => {
      if (key in answer) {
        child.off('message', listener);
        resolve(answer[key] as T);
      }
    };
    child.on('message', listener);
    if (Object.keys(message).length) child.send(message);
  });
}
