/**
 * やさしい日本語 writes readings as <ruby>漢字<rt>かんじ</rt></ruby> in its texts. Where text cannot
 * carry markup (the tab title, aria-label, an option) only the base text is kept.
 */
export function stripRuby(text: string): string {
  return text.includes('<ruby>') ? text.replace(/<rt>[^<]*<\/rt>/g, '').replace(/<\/?ruby>/g, '') : text;
}
