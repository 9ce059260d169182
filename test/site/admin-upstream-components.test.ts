/** The sources screen's pure helpers, and its refusals of a choice of components, in both languages. */
import { describe, expect, it } from 'vitest';
import es from '../../site/scripts/admin-dictionary/es.ts';
import en from '../../site/scripts/admin-dictionary/en.ts';
import { errorIn } from '../../site/scripts/admin-words.ts';
import { groupedByPage, prettyPayload } from '../../site/scripts/admin/upstream-components.ts';

const at = (iso: string) => iso;

describe('the provider page on the sources screen', () => {
  it('groups components as the page groups them, in its order', () => {
    const groups = groupedByPage([
      { id: 'a', name: 'Voice', group: 'US East' },
      { id: 'b', name: 'Voice', group: 'EMEA' },
      { id: 'c', name: 'Messaging', group: 'US East' },
      { id: 'd', name: 'Notifications', group: null },
    ]);
    expect(groups.map((g) => [g.name, g.items.map((i) => i.id)])).toEqual([['US East', ['a', 'c']], ['EMEA', ['b']], [null, ['d']]]);
  });

  it('indents a JSON body and leaves anything else exactly as received', () => {
    expect(prettyPayload('{"page":{"id":"x"},"components":[]}', 'json')).toBe('{\n  "page": {\n    "id": "x"\n  },\n  "components": []\n}');
    expect(prettyPayload('{"components": [', 'json')).toBe('{"components": [');
    expect(prettyPayload('<feed><script>x</script></feed>', 'xml')).toBe('<feed><script>x</script></feed>');
  });

  it('says which component the page does not name, under the field, in Spanish and English', () => {
    const body = { code: 'unknown_upstream_component', message: 'follow[1]: no component "cmp-moon" on the provider\'s page', details: { fields: ['follow'], unknown: ['cmp-moon'] } };
    expect(errorIn(es, body, at)).toBe('Componentes del proveedor: el componente «cmp-moon» no está en la página del proveedor.');
    expect(errorIn(en, body, at)).toBe('Provider components: the component “cmp-moon” is not on the provider’s page.');
    const early = { code: 'page_not_read', message: 'follow: the provider\'s page has not been read yet', details: { fields: ['follow'] } };
    expect(errorIn(en, early, at)).toBe('Provider components: the provider’s page has not been read yet; poll it now and choose again.');
  });
});
