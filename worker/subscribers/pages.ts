import type { Config } from '../config/load.ts';
import { localizedText, messageLocale, type Locale } from '../config/schema.ts';
import { EVERY_SEVERITY } from '../core/vocabulary.ts';
import { workerStrings } from '../i18n/index.ts';
import { localePath } from '../../site/lib/i18n.ts';
import { html, page, type SafeHtml } from './html.ts';
import { pageStrings, type PageStrings } from './page-strings.ts';
import type { ComponentChoice, SubscriberWithComponents } from './store.ts';
import { timeZoneChoices, timeZoneLabel } from '../lib/time-zone.ts';

/** Site-relative paths of the static pages, in a site language (the prefixes are `localePath`'s). */
export const homePath = (locale: Locale, root: Locale) => localePath(locale, '/', root);
export const subscribePath = (locale: Locale, root: Locale) => localePath(locale, '/subscribe/', root);
export const subscribeSentPath = (locale: Locale, root: Locale) => localePath(locale, '/subscribe/sent/', root);

/** The mail languages a subscriber can choose: the site's languages (each one the worker writes in). */
export const mailLocales = (config: Config): Locale[] => [...new Set(config.site.locales.map(messageLocale))];

interface Frame {
  config: Config;
  locale: Locale;
}

function shell(frame: Frame, title: string, body: SafeHtml): string {
  return page({ locale: frame.locale, title, siteName: frame.config.site.name, homeHref: homePath(frame.locale, frame.config.site.default_locale), body });
}

const languageName = (locale: Locale) => workerStrings(locale).langName;

const back = (s: PageStrings, frame: Frame) => html`<p><a href="${homePath(frame.locale, frame.config.site.default_locale)}">${s.backToStatus}</a></p>`;

/** A short page with a title, a paragraph and optional extra lines. */
export function messagePage(frame: Frame, pick: (s: PageStrings) => { title: string; body: string; extra?: SafeHtml }): string {
  const s = pageStrings(frame.locale);
  const { title, body, extra } = pick(s);
  return shell(frame, title, html`<h1>${title}</h1><p>${body}</p>${extra}${back(s, frame)}`);
}

export const manageLine = (s: PageStrings, manageUrl: string) => html`<p>${s.managePrompt} <a href="${manageUrl}">${s.manageLink}</a>.</p>`;
export const subscribeAgainLine = (s: PageStrings, locale: Locale, root: Locale) => html`<p><a href="${subscribePath(locale, root)}">${s.subscribeAgain}</a></p>`;

/**
 * One choice per level of the policy, "severities 1 … level"; the last is every incident (stored as 9, so that it
 * stays every incident whatever the number of levels). A long policy names only the first and last level of each.
 */
function severityOptions(config: Config, locale: Locale, selected: number): SafeHtml {
  const s = pageStrings(locale);
  const levels = config.policy.severities;
  const last = levels.length - 1;
  const chosen = Math.min(selected, EVERY_SEVERITY);
  return html`${levels.map((sev, i) => {
    const value = i === last ? EVERY_SEVERITY : sev.level;
    const upTo = levels.slice(0, i + 1).map((l) => localizedText(l.name, locale));
    const names = upTo.length <= 4 ? upTo.join(', ') : `${upTo[0]} … ${upTo.at(-1)}`;
    const isSelected = value === chosen || (i === last && chosen > sev.level);
    return html`<option value="${value}"${isSelected ? html` selected` : ''}>${s.severityUpTo(sev.level === 1 ? '1' : `1–${sev.level}`)}: ${names}</option>`;
  })}`;
}

/** Checkboxes grouped the way the status page groups components. */
function componentBoxes(s: PageStrings, choices: readonly ComponentChoice[], chosen: ReadonlySet<string>): SafeHtml {
  const groups = new Map<string | null, ComponentChoice[]>();
  for (const c of choices) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const box = (c: ComponentChoice) =>
    html`<label><input type="checkbox" name="components" value="${c.id}"${chosen.has(c.id) ? html` checked` : ''}> ${c.name}</label>`;
  const named = [...groups].filter(([g]) => g !== null);
  const loose = groups.get(null) ?? [];
  return html`<fieldset><legend>${s.components}</legend><p class="hint">${s.componentsHint}</p>
${named.map(([group, items]) => html`<fieldset><legend>${group}</legend>${items.map(box)}</fieldset>`)}
${loose.length ? (named.length ? html`<fieldset><legend>${s.otherServices}</legend>${loose.map(box)}</fieldset>` : html`${loose.map(box)}`) : ''}
</fieldset>`;
}

export function managePage(
  frame: Frame,
  view: { subscriber: SubscriberWithComponents; choices: readonly ComponentChoice[]; formAction: string; unsubscribeUrl: string; saved: boolean },
): string {
  const { subscriber: sub } = view;
  const { config } = frame;
  const s = pageStrings(frame.locale);
  const unsubscribed = sub.status === 'unsubscribed';
  const locales = mailLocales(config);
  const body = html`<h1>${s.manageTitle}</h1>
${view.saved ? html`<p class="note" role="status">${s.saved}</p>` : ''}
<p>${s.manageIntro(sub.email)}</p>
${sub.status === 'pending' ? html`<p class="problem">${s.pendingNote}</p>` : ''}
${unsubscribed ? html`<p class="problem">${s.unsubscribedNote}</p>` : ''}
<form method="post" action="${view.formAction}">
${unsubscribed ? html`<input type="hidden" name="resubscribe" value="1">` : ''}
${componentBoxes(s, view.choices, new Set(sub.componentIds))}
<div class="field"><label for="locale">${s.language}</label>
<select id="locale" name="locale">${locales.map((l) => html`<option value="${l}" lang="${l}"${l === sub.locale ? html` selected` : ''}>${languageName(l)}</option>`)}</select></div>
<div class="field"><label for="timezone">${s.timezone}</label>
<select id="timezone" name="timezone">${timeZoneChoices(config.site.timezone, sub.timezone).map((z) => html`<option value="${z}"${z === sub.timezone ? html` selected` : ''}>${timeZoneLabel(z)}</option>`)}</select></div>
<fieldset><legend>${s.incidents}</legend>
<label><input type="checkbox" name="incident_notices" value="1"${sub.incidentNotices ? html` checked` : ''}> ${s.incidentNotices}</label>
<div class="field"><label for="min_severity">${s.minSeverity}</label>
<select id="min_severity" name="min_severity">${severityOptions(config, frame.locale, sub.minSeverity)}</select></div>
</fieldset>
<p><button type="submit">${unsubscribed ? s.resubscribe : s.save}</button></p>
</form>
${unsubscribed ? '' : html`<p><a href="${view.unsubscribeUrl}">${s.unsubscribeLink}</a></p>`}
${back(s, frame)}`;
  return shell(frame, s.manageTitle, body);
}

export function unsubscribeAskPage(frame: Frame, view: { email: string; formAction: string; manageUrl: string }): string {
  const s = pageStrings(frame.locale);
  return shell(
    frame,
    s.unsubscribeTitle,
    html`<h1>${s.unsubscribeTitle}</h1><p>${s.unsubscribeAsk(view.email)}</p>
<form method="post" action="${view.formAction}"><button type="submit">${s.unsubscribeButton}</button></form>
<p><a href="${view.manageUrl}">${s.manageTitle}</a></p>
${back(s, frame)}`,
  );
}

export function formErrorsPage(frame: Frame, problems: readonly { field: string; message: string }[], backHref: string): string {
  const s = pageStrings(frame.locale);
  return shell(
    frame,
    s.formErrorsTitle,
    html`<h1>${s.formErrorsTitle}</h1><p>${s.formErrorsIntro}</p>
<ul class="problem">${problems.map((p) => html`<li>${s.fields[p.field.replace(/\[.*$/, '')] ?? p.field}: ${p.message}</li>`)}</ul>
<p><a href="${backHref}">${s.goBack}</a></p>`,
  );
}
