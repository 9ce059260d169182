import { badgeSvg } from '../../embeds/badge.ts';
import { overallState } from '../../status/overall.ts';
import { embedStrings } from '../../feeds/strings.ts';
import { componentConditions } from '../../status/derive.ts';
import type { DocumentSource, PublishedDocument } from '../document.ts';
import { localizedPath } from '../public-url.ts';

export const SVG_TYPE = 'image/svg+xml; charset=utf-8';

/**
 * SVG status badges: `/badge.svg` for the whole page and `/components/<id>/badge.svg` per component,
 * in every locale of the page (others under `/<locale>/`). They say the state in words, not by colour alone.
 */
export const badgeDocuments: DocumentSource = ({ config, state, now }) => {
  const { site } = config;
  const conditions = componentConditions(state, now);
  const documents: PublishedDocument[] = [];
  for (const locale of site.locales) {
    const s = embedStrings(locale);
    const path = (p: string) => localizedPath(locale, site.default_locale, p);
    const overall = overallState(conditions.values());
    documents.push({
      path: path('/badge.svg'),
      contentType: SVG_TYPE,
      body: badgeSvg({ label: s.badgeLabel, value: s.state[overall]!, state: overall, title: `${site.name}, ${s.badgeLabel}: ${s.state[overall]}` }),
    });
    for (const component of state.components) {
      const componentState = conditions.get(component.id)?.state ?? 'unknown';
      documents.push({
        path: path(`/components/${component.id}/badge.svg`),
        contentType: SVG_TYPE,
        body: badgeSvg({
          label: component.name,
          value: s.state[componentState]!,
          state: componentState,
          title: `${site.name}, ${component.name}: ${s.state[componentState]}`,
        }),
      });
    }
  }
  return documents;
};
