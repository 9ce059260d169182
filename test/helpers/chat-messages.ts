/**
 * Reads a chat message as its service would show it: the title, the buttons (label and address) and every text,
 * from each service's documented body (Slack Block Kit, a Teams Adaptive Card, a Discord embed, a Google Chat card).
 * Throws when the body is not in the channel's shape.
 */
export type ChatChannel = 'slack' | 'teams' | 'discord' | 'google_chat';

export interface ReadMessage {
  title: string;
  buttons: { label: string; url: string }[];
  /** Every string of the body, format escapes undone (`\_` → `_`, `&amp;` → `&`). */
  text: string;
}

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(strings) : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

const unescape = (text: string) => text.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function fail(channel: ChatChannel, why: string): never {
  throw new Error(`not a ${channel} message: ${why}`);
}

export function readChatMessage(channel: ChatChannel, raw: string): ReadMessage {
  const body = JSON.parse(raw) as any;
  const text = unescape(strings(body).join('\n'));
  switch (channel) {
    case 'slack': {
      if (typeof body.text !== 'string' || !Array.isArray(body.blocks)) fail(channel, 'no text and blocks');
      const header = body.blocks.find((b: any) => b.type === 'header');
      if (!header) fail(channel, 'no header block');
      const actions = body.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements);
      return { title: header.text.text, buttons: actions.map((e: any) => ({ label: e.text.text, url: e.url })), text };
    }
    case 'teams': {
      const attachment = body.type === 'message' ? body.attachments?.[0] : undefined;
      if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive') fail(channel, 'no Adaptive Card attachment');
      const card = attachment.content;
      if (card.type !== 'AdaptiveCard' || card.version !== '1.4') fail(channel, 'not an Adaptive Card 1.4');
      return { title: unescape(card.body[0].text), buttons: card.actions.map((a: any) => ({ label: a.title, url: a.url })), text };
    }
    case 'discord': {
      const embed = body.embeds?.[0];
      if (!embed || body.embeds.length !== 1) fail(channel, 'not one embed');
      if (JSON.stringify(body.allowed_mentions) !== '{"parse":[]}') fail(channel, 'mentions are not switched off');
      const links = [...String(embed.description).matchAll(/\[((?:\\.|[^\]])+)\]\((\S+?)\)/g)].map((m) => ({ label: unescape(m[1]!), url: m[2]! }));
      return { title: unescape(embed.title), buttons: links, text };
    }
    case 'google_chat': {
      const card = body.cardsV2?.[0]?.card;
      if (typeof body.text !== 'string' || !card?.header) fail(channel, 'no text and cardsV2 card');
      const buttons = card.sections.flatMap((s: any) => s.widgets).flatMap((w: any) => w.buttonList?.buttons ?? []);
      return { title: card.header.title, buttons: buttons.map((b: any) => ({ label: b.text, url: b.onClick.openLink.url })), text };
    }
  }
}
