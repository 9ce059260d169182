import type { V2ItemContext } from '../../status/statuspage-v2.ts';

/**
 * What an incident's or a window's v2 form may show of a component, as a string: its row and its current condition
 * (the form names each affected component with its name, group and status). Two rebuilds that give a component the
 * same key show it the same, so what was formatted with it can be kept.
 */
export function componentKeys(ctx: V2ItemContext): (id: string) => string {
  const keys = new Map<string, string>();
  return (id) => {
    let key = keys.get(id);
    if (key === undefined) {
      keys.set(id, (key = JSON.stringify([ctx.state.components.find((c) => c.id === id) ?? id, ctx.conditions.get(id) ?? null])));
    }
    return key;
  };
}
