// English and Simplified Chinese. Catalogues: static/i18n/<lang>.json (same keys), plus one per part
// of the product that a page lists in <html data-i18n-parts="editor dashboard">: static/i18n/<part>/<lang>.json.
// Parts keep each area's strings in its own files; all of a page's catalogues merge into one.
// Elements name their text with data-i18n="key" (textContent), data-i18n-title, data-i18n-aria-label
// and data-i18n-placeholder; code asks t(key, {name: value}) for "{name}" placeholders.

export const LANGUAGES = ['en', 'zh-hans'];
const STORAGE_KEY = 'neural-playground.lang';

let current = 'en';
let catalogue = {};
let english = {};
const cache = {};
const listeners = new Set();

function parts() {
  const listed = document.documentElement.dataset.i18nParts || '';
  return listed.split(/\s+/).filter(Boolean);
}

async function fetchCatalogue(path) {
  const response = await fetch(new URL(`../i18n/${path}.json`, import.meta.url));
  if (!response.ok) throw new Error(`cannot load the ${path} catalogue (${response.status})`);
  return response.json();
}

async function load(lang) {
  if (!cache[lang]) {
    const all = await Promise.all([lang, ...parts().map((part) => `${part}/${lang}`)].map(fetchCatalogue));
    cache[lang] = Object.assign({}, ...all);
  }
  return cache[lang];
}

export function preferredLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch (err) {
    stored = null; // storage can be off (privacy settings): fall back to the browser's language
  }
  if (LANGUAGES.includes(stored)) return stored;
  const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const tag of wanted) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh-hans';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export async function init() {
  english = await load('en');
  await setLanguage(preferredLanguage(), { remember: false });
}

export async function setLanguage(lang, { remember = true } = {}) {
  if (!LANGUAGES.includes(lang)) lang = 'en';
  catalogue = await load(lang);
  current = lang;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch (err) {
      // not remembered; the switch still works for this page
    }
  }
  document.documentElement.lang = lang === 'zh-hans' ? 'zh-Hans' : 'en';
  apply(document);
  for (const listener of listeners) listener(lang);
}

export function language() {
  return current;
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

export function t(key, params) {
  let text = catalogue[key] ?? english[key];
  if (text === undefined) return key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }
  return text;
}

// A help object from the API ({"en": ..., "zh-hans": ...}) in the current language.
export function helpText(help) {
  if (!help) return '';
  if (typeof help === 'string') return help;
  return help[current] ?? help.en ?? '';
}

const ATTRIBUTES = [
  ['i18nTitle', 'title'],
  ['i18nAriaLabel', 'aria-label'],
  ['i18nPlaceholder', 'placeholder'],
];

export function apply(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const [data, attribute] of ATTRIBUTES) {
    const selector = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
    for (const el of root.querySelectorAll(selector)) el.setAttribute(attribute, t(el.dataset[data]));
  }
}

// Numbers in the user's language (both catalogues use Western digits).
export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString();
}
