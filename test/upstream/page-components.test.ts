/** The page's own list of components, which of them the settings follow, and the settings a new choice makes. */
import { describe, expect, it } from 'vitest';
import { choiceSettingOf, chosenEntries, isFollowed, pageComponentsFromBodies, settingsWithChoice, unknownIds } from '../../worker/upstream/page-components.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import { fixture, NOW } from './support.ts';

const ctx = (settings: Record<string, unknown> = {}) => ({ now: NOW, sourceUrl: 'https://status.example.com/', settings });

describe('page components', () => {
  it('lists every component of the kept bodies whatever the choice, with the page groups', () => {
    const all = pageComponentsFromBodies('statuspage', { summary: fixture('statuspage-summary.json') }, ctx({ components: ['cmp-euc-voice'] }));
    expect(all).toHaveLength(6);
    expect(all[0]).toEqual({ id: 'cmp-use-voice', name: 'Voice', group: 'Americas (US East)' });
    const products = pageComponentsFromBodies('google', { incidents: fixture('google-incidents.json'), products: fixture('google-products.json') }, ctx({ products: ['Gmail'], recent_days: 3 }));
    expect(products.map((p) => p.name)).toEqual(expect.arrayContaining(['Gmail', 'Google Meet', 'Google Drive']));
    expect(() => pageComponentsFromBodies('statuspage', { summary: '[1,' }, ctx())).toThrow(UpstreamFormatError);
  });

  it('follows what an entry names by id, name, group or "Group / Name", and everything without a choice', () => {
    const voice = { id: 'cmp-euc-voice', name: 'Voice', group: 'EMEA (Frankfurt)' };
    const api = { id: 'cmp-use-api', name: 'Platform API', group: 'Americas (US East)' };
    expect(chosenEntries('statuspage', {})).toBeNull();
    expect(chosenEntries('statuspage', { components: [] })).toBeNull();
    expect(isFollowed(voice, null)).toBe(true);
    expect(isFollowed(voice, ['emea (frankfurt)'])).toBe(true);
    expect(isFollowed(voice, ['EMEA (Frankfurt) / Voice'])).toBe(true);
    expect(isFollowed(api, ['EMEA (Frankfurt)', 'cmp-euc-voice'])).toBe(false);
    expect(isFollowed(api, ['CMP-USE-API'])).toBe(true);
  });

  it('saves a choice in the adapter setting, keeping the other settings; feeds have none', () => {
    expect(choiceSettingOf('statuspage')).toBe('components');
    expect(choiceSettingOf('google')).toBe('products');
    expect(choiceSettingOf('feed')).toBeNull();
    expect(settingsWithChoice('google', { recent_days: 3, products: ['x'] }, ['a', 'b', 'a'])).toEqual({ recent_days: 3, products: ['a', 'b'] });
    expect(settingsWithChoice('statuspage', { components: ['x'] }, null)).toEqual({});
    expect(settingsWithChoice('feed', { recent_days: 3 }, ['a'])).toEqual({ recent_days: 3 });
    expect(unknownIds([{ id: 'a', name: 'A', group: null }], ['a', 'b', 'A'])).toEqual([1, 2]);
  });
});
