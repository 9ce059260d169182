/**
 * Puts the console's fixed texts in the admin's language. The screens write them in Spanish (their markup, and the
 * rows and forms their scripts draw); in English each text node and each labelling attribute is looked up in
 * `./admin-dictionary/chrome-en.ts`, at once for the page and then for whatever the scripts add. Values from the API
 * (names, messages) are left alone unless they are one of those texts. Build-time data the provider writes in both
 * languages (severity names, templates) carries its English in `data-en`.
 */
import chromeEn from './admin-dictionary/chrome-en.ts';
import { adminLang } from './admin-lang.ts';

// `data-label` names a table cell's column on a narrow screen (`labelCells`).
const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'alt', 'data-label'] as const;

interface Pattern {
  regex: RegExp;
  english: string;
  literal: number;
}

/** `{}` in a key matches any value; the longest literal text wins, so `Resolver «{}»` beats `{} · {}`. */
function compile(dictionary: Record<string, string>): Pattern[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Object.entries(dictionary)
    .filter(([key]) => key.includes('{}'))
    .map(([key, english]) => ({ regex: new RegExp(`^${key.split('{}').map(escape).join('(.+?)')}$`, 's'), english, literal: key.replaceAll('{}', '').length }))
    .sort((a, b) => b.literal - a.literal);
}

/** A translator for one dictionary: the text in English, or the text itself when it is not one of the console's. */
export function translator(dictionary: Record<string, string>): (text: string) => string {
  const patterns = compile(dictionary);
  const exact = (core: string) => (Object.hasOwn(dictionary, core) && !core.includes('{}') ? dictionary[core]! : null);
  return (text: string) => {
    const core = text.trim();
    if (!core) return text;
    const lead = text.slice(0, text.indexOf(core));
    const tail = text.slice(lead.length + core.length);
    const whole = exact(core);
    if (whole !== null) return lead + whole + tail;
    for (const p of patterns) {
      const m = p.regex.exec(core);
      if (!m) continue;
      let i = 1;
      return lead + p.english.replace(/\{\}/g, () => {
        const value = m[i++] ?? '';
        return exact(value) ?? value;
      }) + tail;
    }
    return text;
  };
}

export const toEnglish = translator(chromeEn);

/**
 * Asks a yes-or-no question with the browser's `confirm()`, which no page translation can reach: written in Spanish
 * like the rest of the screen, and asked in the admin's language. Every screen asks through here.
 */
export const confirmInAdminLanguage = (question: string): boolean => confirm(adminLang() === 'en' ? toEnglish(question) : question);

function translateElement(element: Element): void {
  // A text field's written default (the import's consent origin); a typed value is the admin's own.
  if (element instanceof HTMLInputElement && element.type === 'text' && element.hasAttribute('value')) {
    const value = element.getAttribute('value')!;
    const translated = toEnglish(value);
    if (translated !== value) element.setAttribute('value', translated);
  }
  const english = element.getAttribute('data-en');
  if (english !== null && element.textContent !== english) element.textContent = english;
  for (const name of ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value === null) continue;
    const translated = toEnglish(value);
    if (translated !== value) element.setAttribute(name, translated);
  }
}

/** Translates a node and everything under it. */
export function translateTree(root: Node): void {
  if (root.nodeType === Node.TEXT_NODE) {
    const parent = root.parentElement;
    if (parent && (parent.closest('[data-en], script, style, pre'))) return;
    const translated = toEnglish(root.nodeValue ?? '');
    if (translated !== root.nodeValue) root.nodeValue = translated;
    return;
  }
  if (!(root instanceof Element)) return;
  if (root.matches('script, style')) return;
  translateElement(root);
  for (const element of Array.from(root.querySelectorAll('*'))) translateElement(element);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Node[] = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const text of texts) translateTree(text);
}

/** The whole page now, then every change the screen's scripts make (a translation never matches again: no loop). */
export function translateConsole(): void {
  document.title = toEnglish(document.title);
  translateTree(document.body);
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList') record.addedNodes.forEach(translateTree);
      else if (record.type === 'characterData') translateTree(record.target);
      else if (record.target instanceof Element) translateElement(record.target);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...ATTRIBUTES, 'data-en'] });
}
