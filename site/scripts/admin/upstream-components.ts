/** What the sources screen shows of a provider's page: its components in its own groups, and a raw body as text. Pure. */

export interface PageComponent {
  id: string;
  name: string;
  group: string | null;
}

/** The components in the page's order, one group per group name as it first appears; ungrouped ones together. */
export function groupedByPage(components: readonly PageComponent[]): { name: string | null; items: PageComponent[] }[] {
  const groups: { name: string | null; items: PageComponent[] }[] = [];
  for (const component of components) {
    let group = groups.find((g) => g.name === component.group);
    if (!group) groups.push((group = { name: component.group, items: [] }));
    group.items.push(component);
  }
  return groups;
}

/** A JSON body indented for reading; anything else (or JSON that does not parse) exactly as it was received. */
export function prettyPayload(body: string, format: string): string {
  if (format !== 'json') return body;
  try {
    return JSON.stringify(JSON.parse(body.replace(/^\ufeff/, '')), null, 2);
  } catch {
    return body;
  }
}
