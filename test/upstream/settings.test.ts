import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../worker/config/errors.ts';
import { checkSourceSettings, normaliseSettings } from '../../worker/upstream/settings.ts';
import { watchConfig } from './watch-support.ts';

describe('source settings', () => {
  it('reads snake_case and camelCase alike, nested keys included', () => {
    expect(normaliseSettings({ expect_text: 'OK', expect_status: { min: 200, max: 204 }, slowMs: 100 })).toEqual({ expectText: 'OK', expectStatus: { min: 200, max: 204 }, slowMs: 100 });
    expect(checkSourceSettings('http', { expect_text: 'OK', slow_ms: 800 })).toEqual({ ok: true, options: { expectText: 'OK', slowMs: 800, expectStatus: { min: 200, max: 399 } } });
    expect(checkSourceSettings('feed', { recent_days: 3 })).toEqual({ ok: true, options: { recentDays: 3 } });
  });

  it('names a bad setting as it was written', () => {
    expect(checkSourceSettings('http', { slow_ms: 'fast' })).toMatchObject({ ok: false, issues: [{ path: ['slow_ms'] }] });
    expect(checkSourceSettings('statuspage', { colour: 'red' })).toEqual({ ok: false, issues: [{ path: [], message: 'unknown setting "colour"' }] });
    expect(checkSourceSettings('google', { products: [7] })).toMatchObject({ ok: false, issues: [{ path: ['products', 0] }] });
  });

  it('is checked when the config is loaded, with the key path of the offending setting', () => {
    const load = () => watchConfig([{ id: 'web', type: 'http', url: 'http://127.0.0.1:9/health', settings: { expect_status: { min: 500, max: 200 } } }], [{ id: 'x', sources: ['web'] }]);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/sources\[0\]\.settings\.expect_status/);
  });
});
