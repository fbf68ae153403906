// What the dashboard's pages share: translations and the language switch (the choice is remembered).
import * as i18n from '../i18n.js';

export function wireLanguageSwitch() {
  const buttons = [...document.querySelectorAll('.db-lang button[data-lang]')];
  const mark = (lang) => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
  buttons.forEach((b) => b.addEventListener('click', () => i18n.setLanguage(b.dataset.lang)));
  i18n.onLanguageChange(mark);
  mark(i18n.language());
}

export async function startPage() {
  await i18n.init();
  wireLanguageSwitch();
}
