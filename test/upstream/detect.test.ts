import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyBody, detectUpstream as detectAnywhere } from '../../worker/upstream/detect.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: detection here opts into private addresses. */
const detectUpstream = (url: string) => detectAnywhere(url, { fetch: { egress: LOCAL_NETWORK } });

const HTML_PAGE = '<!DOCTYPE html><html><head><title>Status</title></head><body><div id="app"></div></body></html>';

let server: UpstreamServer;
beforeEach(async () => {
  server = await startUpstreamServer();
});
afterEach(async () => {
  await server.close();
});

describe('detectUpstream', () => {
  it('recognises a Statuspage page', async () => {
    server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json') });
    expect(await detectUpstream(server.url)).toEqual({ type: 'statuspage', url: `${server.url}/` });
  });

  it('recognises an Instatus page', async () => {
    server.route('/summary.json', { body: fixture('instatus-summary.json') });
    expect(await detectUpstream(`${server.url}/`)).toEqual({ type: 'instatus', url: `${server.url}/` });
  });

  it('recognises an incident.io page even though it also answers the Statuspage path without components', async () => {
    server.route('/api/v2/summary.json', { body: { page: { id: 'p', name: 'VTEX' }, status: { indicator: 'minor', description: 'Minor' } } });
    server.route('/api/v1/summary', { body: fixture('incidentio-summary.json') });
    expect(await detectUpstream(server.url)).toEqual({ type: 'incidentio', url: `${server.url}/` });
  });

  it('falls back to Statuspage for a page-level-only summary when nothing better answers', async () => {
    server.route('/api/v2/summary.json', { body: { page: { id: 'p' }, status: { indicator: 'none' } } });
    expect(await detectUpstream(server.url)).toEqual({ type: 'statuspage', url: `${server.url}/` });
  });

  it('recognises a Google dashboard, from its directory or from incidents.json itself', async () => {
    server.route('/appsstatus/dashboard/incidents.json', { body: fixture('google-incidents.json') });
    expect(await detectUpstream(`${server.url}/appsstatus/dashboard/`)).toEqual({ type: 'google', url: `${server.url}/appsstatus/dashboard/` });
    expect(await detectUpstream(`${server.url}/appsstatus/dashboard/incidents.json`)).toEqual({
      type: 'google',
      url: `${server.url}/appsstatus/dashboard/incidents.json`,
    });
  });

  it('finds a history feed when there is no JSON API', async () => {
    server.route('/history.atom', { body: fixture('statuspage-history.atom') });
    expect(await detectUpstream(server.url)).toEqual({ type: 'feed', url: `${server.url}/history.atom` });
  });

  it('accepts a feed URL given directly', async () => {
    server.route('/estado/feed.xml', { body: fixture('provider-with-script.rss') });
    expect(await detectUpstream(`${server.url}/estado/feed.xml`)).toEqual({ type: 'feed', url: `${server.url}/estado/feed.xml` });
  });

  it('reduces a pasted Statuspage API URL to the page root', async () => {
    server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json') });
    expect(await detectUpstream(`${server.url}/api/v2/summary.json`)).toEqual({ type: 'statuspage', url: `${server.url}/` });
  });

  it('is not fooled by a host that answers 200 HTML for every path', async () => {
    server.fallback({ status: 200, body: HTML_PAGE, headers: { 'Content-Type': 'text/html' } });
    const result = await detectUpstream(server.url);
    expect(result).toMatchObject({ error: 'no known status-page format answered at this address' });
    if ('error' in result) expect(result.tried.length).toBeGreaterThanOrEqual(8);
  });

  it('is not fooled by JSON of another shape served with 200 everywhere', async () => {
    server.fallback({ status: 200, body: { ok: true, data: [] } });
    expect(await detectUpstream(server.url)).toHaveProperty('error');
  });

  it('names Better Stack pages it cannot poll yet', async () => {
    server.route('/index.json', { body: { data: { id: '1', attributes: { aggregate_state: 'operational' } }, included: [] } });
    expect(await detectUpstream(server.url)).toMatchObject({ error: expect.stringContaining('Better Stack') });
  });

  it('refuses a non-http URL without probing', async () => {
    expect(await detectUpstream('ftp://status.example.com')).toMatchObject({ error: expect.stringContaining('not an http(s) URL'), tried: [] });
    expect(server.requests).toHaveLength(0);
  });
});

describe('classifyBody', () => {
  it('judges by shape', () => {
    expect(classifyBody(fixture('statuspage-summary.json'))).toBe('statuspage');
    expect(classifyBody(fixture('instatus-summary.json'))).toBe('instatus');
    expect(classifyBody(fixture('incidentio-summary.json'))).toBe('incidentio');
    expect(classifyBody(fixture('google-incidents.json'))).toBe('google');
    expect(classifyBody(fixture('statuspage-history.atom'))).toBe('feed');
    expect(classifyBody(fixture('provider-with-script.rss'))).toBe('feed');
    expect(classifyBody(HTML_PAGE)).toBeNull();
    expect(classifyBody('[]')).toBeNull();
    expect(classifyBody('[{"id": 1}]')).toBeNull();
    expect(classifyBody('not json')).toBeNull();
  });
});
