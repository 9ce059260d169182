import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { formatKeyPath } from '../config/errors.ts';
import { messageLocale, type Locale } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import { ConflictError, InvalidInputError, notFound, RateLimitedError } from '../core/errors.ts';
import { addressSet } from '../lib/address-set.ts';
import { isLocale } from '../core/vocabulary.ts';
import { limitBody } from '../http/body-limit.ts';
import { errorBody, readJson, validate } from '../http/errors.ts';
import {
  channelSubscriptionView,
  confirmChannelSubscription,
  removeChannelSubscription,
  requestChannelSubscription,
  setChannelPaused,
} from '../subscribers/channel-service.ts';
import { findChannelSubscription } from '../subscribers/channel-store.ts';
import { urlHost } from '../subscribers/channel-url.ts';
import { clientKey } from '../subscribers/client-ip.ts';
import { looksLikeConfirmToken } from '../subscribers/confirm-token.ts';
import { PAGE_SECURITY_HEADERS } from '../subscribers/html.ts';
import { loadSigningSecret, subscriberLinks, verifySubscriberToken, type LinkPurpose } from '../subscribers/links.ts';
import {
  formErrorsPage,
  mailLocales,
  managePage,
  manageLine,
  messagePage,
  subscribeAgainLine,
  subscribePath,
  subscribeSentPath,
  unsubscribeAskPage,
} from '../subscribers/pages.ts';
import { formToFields, honeypotFilled, preferenceSchemas } from '../subscribers/preferences.ts';
import { confirmSubscription, requestSubscription, unsubscribe, updatePreferences, type ManageOutcome } from '../subscribers/self-service.ts';
import { SlidingWindowLimiter } from '../subscribers/sliding-window.ts';
import { activeComponents, findSubscriberWithComponents } from '../subscribers/store.ts';
import { subscriptionView } from '../subscribers/view.ts';

/** Subscription requests one client (IP, or IPv6 /64) may make: enough for a shared office, too few to spray addresses. */
export const CLIENT_REQUEST_LIMIT = 10;
export const CLIENT_REQUEST_WINDOW_MS = 15 * 60_000;

/** The same answer for every accepted request, whether the address was new, known, or not mailed. */
export const ACCEPTED_BODY = {
  status: 'accepted',
  message: 'If this address can receive notices, an e-mail to confirm the subscription is on its way.',
} as const;

const isForm = (c: Context) => /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(c.req.header('content-type') ?? '');
/** A language of the site's pages (`?lang=` on the form's action says which page the form was on). */
const asSiteLocale = (value: unknown): Locale | undefined => (isLocale(value) ? value : undefined);

function sendPage(c: Context, status: ContentfulStatusCode, body: string) {
  for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) c.header(name, value);
  return c.html(body, status);
}

/** Validation problems as a list, for the no-JavaScript form's error page. */
function problemsOf(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({ field: formatKeyPath(issue.path) || 'body', message: issue.message }));
}

/**
 * The public subscription endpoints under /api/subscriptions. Pages reached from mail links work
 * without JavaScript or cookies; a GET never changes anything that matters (mail scanners follow links),
 * except the double opt-in link, which is what confirming means.
 */
export function subscriptionRoutes(app: AppContext) {
  const routes = new Hono();
  const perClient = new SlidingWindowLimiter(CLIENT_REQUEST_LIMIT, CLIENT_REQUEST_WINDOW_MS);
  const trustedProxies = addressSet(app.env.TRUSTED_PROXIES);
  const { config } = app;
  const root = config.site.default_locale;
  // A subscriber chooses among the site's languages (every one of them has its mails and pages here).
  const locales = mailLocales(config);
  const { subscribe: subscribeSchema, manage: manageSchema, subscribeChannel: channelSchema, manageChannel: manageChannelSchema } = preferenceSchemas(locales);
  const asLocale = (value: unknown): Locale | undefined => locales.find((l) => l === value);
  const small = limitBody(32 * 1024);

  /**
   * The page language when no subscriber is known: `?lang=`, then the browser's first choice among the site's
   * languages (by language, so `pt` or `pt-PT` reads the Brazilian pages), then the site's default.
   */
  const visitorLocale = (c: Context): Locale => {
    const lang = asLocale(c.req.query('lang'));
    if (lang) return lang;
    const browser = /^\s*([a-z]{2})\b/i.exec(c.req.header('accept-language') ?? '')?.[1]?.toLowerCase();
    return locales.find((l) => l.slice(0, 2).toLowerCase() === browser) ?? messageLocale(config.site.default_locale);
  };
  /** A known subscriber's (or channel subscription's) pages speak their messages' language, whatever the browser says. */
  const subscriberLocale = (row: { locale: string }): Locale => (isLocale(row.locale) ? row.locale : messageLocale(config.site.default_locale));

  const message = (c: Context, status: ContentfulStatusCode, locale: Locale, pick: Parameters<typeof messagePage>[1]) =>
    sendPage(c, status, messagePage({ config, locale }, pick));

  /** Relative links for pages (same origin as the page, whatever the public address says). */
  const pageLinks = async (subscriberId: string) => subscriberLinks(await loadSigningSecret(app.db), '', subscriberId);

  /** The subscriber a signed link names, or an error page already sent. */
  const fromSignedLink = async (c: Context, purpose: LinkPurpose) => {
    const id = verifySubscriberToken(await loadSigningSecret(app.db), purpose, c.req.query('token'));
    if (!id) return { response: message(c, 400, visitorLocale(c), (s) => ({ title: s.invalidTitle, body: s.invalidBody })) };
    const subscriber = await findSubscriberWithComponents(app.db, id);
    if (!subscriber) {
      return { response: message(c, 404, visitorLocale(c), (s) => ({ title: s.unknownTitle, body: s.unknownBody, extra: subscribeAgainLine(s, visitorLocale(c), root) })) };
    }
    return { subscriber, token: c.req.query('token')! };
  };

  routes.post('/', small, async (c) => {
    const form = isForm(c);
    const verdict = perClient.hit(clientKey(c, trustedProxies), app.now().getTime());
    const body = form ? await c.req.parseBody({ all: true }) : undefined;
    const locale = asLocale(body?.locale) ?? visitorLocale(c);
    /** The static page to send a form back to: the language of the page the form was on (`?lang=` on its action). */
    const pageLocale = (chosen?: Locale): Locale => asSiteLocale(c.req.query('lang')) ?? chosen ?? locale;
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      c.header('Retry-After', String(seconds));
      if (form) return message(c, 429, locale, (s) => ({ title: s.rateLimitedTitle, body: s.rateLimitedBody(Math.ceil(seconds / 60)) }));
      return c.json(errorBody('rate_limited', `too many subscription requests from this client; try again in ${seconds} seconds`), 429);
    }

    let input: z.output<typeof subscribeSchema>;
    if (body) {
      // Bots fill every field; people never see this one. Answer as if all went well.
      if (honeypotFilled(body)) return c.redirect(subscribeSentPath(pageLocale(), root), 303);
      const parsed = subscribeSchema.safeParse(formToFields(body, 'subscribe'));
      if (!parsed.success) return sendPage(c, 400, formErrorsPage({ config, locale }, problemsOf(parsed.error), subscribePath(pageLocale(), root)));
      input = parsed.data;
    } else {
      const json = await readJson(c);
      const channel = (json as { channel?: unknown } | null)?.channel;
      if (channel !== undefined && channel !== 'email') {
        const created = await requestChannelSubscription(app, validate(channelSchema, json));
        app.logger.info({ subscription: created.subscription.id, channel: created.subscription.channel }, 'channel subscription requested');
        return c.json(
          {
            subscription: channelSubscriptionView(created.subscription),
            manage_url: created.manageUrl,
            ...(created.signingSecret ? { signing_secret: created.signingSecret } : {}),
          },
          201,
        );
      }
      input = validate(subscribeSchema, json);
    }

    let queued: boolean;
    try {
      ({ queued } = await requestSubscription(app, input));
    } catch (error) {
      // The form shows a bad field, or the pause, on a page; JSON callers get the API's error.
      if (form && error instanceof RateLimitedError) {
        c.header('Retry-After', String(error.retryAfterSeconds));
        return message(c, 429, locale, (s) => ({ title: s.rateLimitedTitle, body: s.rateLimitedBody(Math.ceil(error.retryAfterSeconds / 60)) }));
      }
      if (!form || !(error instanceof InvalidInputError)) throw error;
      return sendPage(c, 400, formErrorsPage({ config, locale }, error.problems, subscribePath(pageLocale(), root)));
    }
    app.logger.info({ queued }, 'subscription requested');
    if (form) return c.redirect(subscribeSentPath(pageLocale(input.locale), root), 303);
    return c.json(ACCEPTED_BODY, 202);
  });

  /** A channel subscription a signed manage link names; throws the API's errors otherwise. */
  const channelFromLink = async (c: Context) => {
    const id = verifySubscriberToken(await loadSigningSecret(app.db), 'channel_manage', c.req.query('token'));
    if (!id) throw new InvalidInputError('invalid_token', 'the manage link is not valid');
    const subscription = await findChannelSubscription(app.db, id);
    if (!subscription) throw notFound('subscription');
    return subscription;
  };

  routes.get('/channels/manage', async (c) => c.json({ subscription: channelSubscriptionView(await channelFromLink(c)) }));

  routes.post('/channels/manage', small, async (c) => {
    const subscription = await channelFromLink(c);
    const input = validate(manageChannelSchema, await readJson(c));
    if (subscription.status === 'disabled') throw new ConflictError('subscription_disabled', 'this subscription was switched off after its receiver kept failing; subscribe again');
    const outcome = await setChannelPaused(app, subscription.id, input.paused);
    if (outcome.kind === 'unknown') throw notFound('subscription');
    app.logger.info({ subscription: subscription.id, paused: input.paused }, 'channel subscription changed');
    return c.json({ subscription: channelSubscriptionView(outcome.subscription) });
  });

  routes.delete('/channels/manage', async (c) => {
    const subscription = await channelFromLink(c);
    if (!(await removeChannelSubscription(app, subscription.id))) throw notFound('subscription');
    app.logger.info({ subscription: subscription.id }, 'channel subscription removed');
    return c.json({ status: 'removed' });
  });

  // The link a chat channel's verification message carries: following it is what confirming means. The page is in the
  // subscription's language, as its messages are (whoever follows the link may have a browser in another one).
  routes.get('/channels/confirm', async (c) => {
    const token = c.req.query('token');
    if (!looksLikeConfirmToken(token)) return message(c, 400, visitorLocale(c), (s) => ({ title: s.invalidTitle, body: s.invalidBody }));
    const outcome = await confirmChannelSubscription(app, token);
    if (outcome.kind === 'unknown') return message(c, 404, visitorLocale(c), (s) => ({ title: s.unknownTitle, body: s.unknownBody }));
    const locale = subscriberLocale(outcome.subscription);
    const where = urlHost(outcome.subscription.url);
    switch (outcome.kind) {
      case 'confirmed':
        app.logger.info({ subscription: outcome.subscription.id }, 'channel subscription confirmed');
        return message(c, 200, locale, (s) => ({ title: s.confirmedTitle, body: s.confirmedBody(where) }));
      case 'already_confirmed':
        return message(c, 200, locale, (s) => ({ title: s.alreadyConfirmedTitle, body: s.alreadyConfirmedBody(where) }));
      case 'expired':
        return message(c, 410, locale, (s) => ({ title: s.expiredTitle, body: s.expiredBody }));
      case 'disabled':
        return message(c, 410, locale, (s) => ({ title: s.usedTitle, body: s.usedBody }));
    }
  });

  routes.get('/confirm', async (c) => {
    const token = c.req.query('token');
    const fallback = visitorLocale(c);
    if (!looksLikeConfirmToken(token)) return message(c, 400, fallback, (s) => ({ title: s.invalidTitle, body: s.invalidBody }));
    const outcome = await confirmSubscription(app, token);
    if (outcome.kind === 'unknown') {
      return message(c, 404, fallback, (s) => ({ title: s.unknownTitle, body: s.unknownBody, extra: subscribeAgainLine(s, fallback, root) }));
    }
    const sub = outcome.subscriber;
    const locale = subscriberLocale(sub);
    switch (outcome.kind) {
      case 'confirmed':
      case 'already_confirmed': {
        if (outcome.kind === 'confirmed') app.logger.info({ subscriber: sub.id }, 'subscription confirmed');
        const { manageUrl } = await pageLinks(sub.id);
        return message(c, 200, locale, (s) =>
          outcome.kind === 'confirmed'
            ? { title: s.confirmedTitle, body: s.confirmedBody(sub.email), extra: manageLine(s, manageUrl) }
            : { title: s.alreadyConfirmedTitle, body: s.alreadyConfirmedBody(sub.email), extra: manageLine(s, manageUrl) },
        );
      }
      case 'expired':
        return message(c, 410, locale, (s) => ({ title: s.expiredTitle, body: s.expiredBody, extra: subscribeAgainLine(s, locale, root) }));
      case 'used':
        return message(c, 410, locale, (s) => ({ title: s.usedTitle, body: s.usedBody, extra: subscribeAgainLine(s, locale, root) }));
      case 'suppressed':
        return message(c, 410, locale, (s) => ({ title: s.suppressedTitle, body: s.suppressedBody }));
    }
  });

  const showManage = async (c: Context, subscriber: NonNullable<Awaited<ReturnType<typeof findSubscriberWithComponents>>>, token: string, saved: boolean) => {
    const locale = subscriberLocale(subscriber);
    if (subscriber.status === 'suppressed') return message(c, 409, locale, (s) => ({ title: s.suppressedTitle, body: s.suppressedBody }));
    const links = await pageLinks(subscriber.id);
    return sendPage(
      c,
      200,
      managePage(
        { config, locale },
        {
          subscriber,
          choices: await activeComponents(app.db),
          formAction: `/api/subscriptions/manage?token=${encodeURIComponent(token)}`,
          unsubscribeUrl: links.unsubscribeUrl,
          saved,
        },
      ),
    );
  };

  routes.get('/manage', async (c) => {
    const found = await fromSignedLink(c, 'manage');
    if ('response' in found) return found.response;
    return showManage(c, found.subscriber, found.token, false);
  });

  routes.post('/manage', small, async (c) => {
    const found = await fromSignedLink(c, 'manage');
    if ('response' in found) return found.response;
    const locale = subscriberLocale(found.subscriber);
    const form = isForm(c);
    const back = `/api/subscriptions/manage?token=${encodeURIComponent(found.token)}`;
    let input: z.output<typeof manageSchema>;
    if (form) {
      const parsed = manageSchema.safeParse(formToFields(await c.req.parseBody({ all: true }), 'manage'));
      if (!parsed.success) return sendPage(c, 400, formErrorsPage({ config, locale }, problemsOf(parsed.error), back));
      input = parsed.data;
    } else {
      input = validate(manageSchema, await readJson(c));
    }
    let outcome: ManageOutcome;
    try {
      outcome = await updatePreferences(app, found.subscriber.id, input);
    } catch (error) {
      if (!form || !(error instanceof InvalidInputError)) throw error;
      return sendPage(c, 400, formErrorsPage({ config, locale }, error.problems, back));
    }
    if (outcome.kind === 'unknown') return message(c, 404, locale, (s) => ({ title: s.unknownTitle, body: s.unknownBody }));
    if (outcome.kind === 'suppressed') {
      if (!form) throw new ConflictError('suppressed', 'mail to this address bounced or was reported as spam; it receives no notices');
      return message(c, 409, locale, (s) => ({ title: s.suppressedTitle, body: s.suppressedBody }));
    }
    app.logger.info({ subscriber: found.subscriber.id }, 'subscription preferences changed');
    if (!form) return c.json({ subscription: subscriptionView(outcome.subscriber) });
    return showManage(c, outcome.subscriber, found.token, true);
  });

  routes.get('/unsubscribe', async (c) => {
    const found = await fromSignedLink(c, 'unsubscribe');
    if ('response' in found) return found.response;
    const sub = found.subscriber;
    const locale = subscriberLocale(sub);
    const { manageUrl } = await pageLinks(sub.id);
    if (sub.status === 'unsubscribed' || sub.status === 'suppressed') {
      return message(c, 200, locale, (s) => ({ title: s.alreadyUnsubscribedTitle, body: s.unsubscribedBody(sub.email), extra: sub.status === 'unsubscribed' ? resubscribeLine(s, manageUrl) : undefined }));
    }
    return sendPage(c, 200, unsubscribeAskPage({ config, locale }, { email: sub.email, formAction: `/api/subscriptions/unsubscribe?token=${encodeURIComponent(found.token)}`, manageUrl }));
  });

  // The page's button and RFC 8058 one-click (`List-Unsubscribe=One-Click`) both land here; the signed
  // token is the whole authorisation, so it needs no cookie, no JavaScript and no particular body.
  routes.post('/unsubscribe', small, async (c) => {
    const found = await fromSignedLink(c, 'unsubscribe');
    if ('response' in found) return found.response;
    const outcome = await unsubscribe(app, found.subscriber.id);
    if (outcome.kind === 'unknown') return message(c, 404, visitorLocale(c), (s) => ({ title: s.unknownTitle, body: s.unknownBody }));
    const sub = outcome.subscriber;
    if (outcome.kind === 'unsubscribed') app.logger.info({ subscriber: sub.id }, 'unsubscribed');
    const { manageUrl } = await pageLinks(sub.id);
    return message(c, 200, subscriberLocale(sub), (s) => ({
      title: outcome.kind === 'unsubscribed' ? s.unsubscribedTitle : s.alreadyUnsubscribedTitle,
      body: s.unsubscribedBody(sub.email),
      extra: outcome.kind === 'suppressed' ? undefined : resubscribeLine(s, manageUrl),
    }));
  });

  return routes;
}

function resubscribeLine(s: Parameters<typeof manageLine>[0], manageUrl: string) {
  return manageLine({ ...s, managePrompt: s.changedMind }, manageUrl);
}
