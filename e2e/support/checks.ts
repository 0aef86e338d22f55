import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/*
 * Checks that run inside the page. The Node project has no DOM library, so the little of the DOM
 * they touch is declared here, for this module only.
 */
interface Box {
  width: number;
  height: number;
}
interface DomElement {
  tagName: string;
  id: string;
  className: string;
  textContent: string | null;
  getBoundingClientRect(): Box;
  closest(selector: string): DomElement | null;
}
declare const document: {
  scrollingElement: { scrollWidth: number; clientWidth: number } | null;
  activeElement: DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
};
declare function getComputedStyle(element: DomElement): { outlineStyle: string; outlineWidth: string; visibility: string };

/** Serious or critical axe-core violations (with the off-by-default target-size rule on). */
export async function axeProblems(page: Page, where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ rules: { 'target-size': { enabled: true } } })
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export const MIN_TARGET = 44;

/**
 * Buttons, links and other controls in the main content smaller than 44 × 44 CSS px. A link
 * inside a sentence is exempt (WCAG 2.5.8's inline exception): its size is the line's. Measured
 * in one evaluation in the page (a calendar has sixty links; one round trip each took a third of
 * a second a page).
 */
export async function smallTapTargets(page: Page, where: string): Promise<string[]> {
  const small = await page.evaluate((min: number) => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('main :is(a[href], button, summary, select, input)'))) {
      const box = el.getBoundingClientRect();
      // Playwright's idea of visible: a box with an area, and not visibility: hidden.
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.visually-hidden')) continue;
      const block = el.closest('p, li, dd, td');
      if (el.tagName === 'A' && block !== null && (block.textContent ?? '').trim() !== (el.textContent ?? '').trim()) continue;
      if (box.width < min || box.height < min) {
        const label = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
        found.push(`${label} is ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return found;
  }, MIN_TARGET);
  return small.map((problem) => `${where}: ${problem}`);
}

/**
 * What every page must pass, collected rather than thrown so one run lists all of them: a
 * screenshot for a person to look at, then axe, tap targets and (optionally) sideways scrolling.
 */
export function pageChecker(
  page: Page,
  label: string,
  options: { shoot?: (page: Page, step: string) => Promise<void>; reflow?: boolean } = {},
) {
  const problems: string[] = [];
  return {
    problems,
    async check(step: string): Promise<void> {
      await options.shoot?.(page, step);
      const where = `${label} ${step}`;
      problems.push(...(await axeProblems(page, where)), ...(await smallTapTargets(page, where)));
      if (options.reflow) {
        const sideways = await horizontalOverflow(page);
        if (sideways > 0) problems.push(`${where}: ${sideways}px sideways`);
      }
    },
  };
}

/** How far the page scrolls sideways (0 when everything reflows into the viewport). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    return root.scrollWidth - root.clientWidth;
  });
}

/**
 * The focused element (tag#id "text", its classes), whether it shows a focus indicator, and whether
 * it is a tab stop (a heading the app moved the focus to after a page change, tabindex -1, is not).
 */
export function focused(page: Page): Promise<{ label: string; className: string; visible: boolean; tabStop: boolean } | undefined> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el.tagName === 'BODY') return undefined;
    const style = getComputedStyle(el);
    // The app's focus ring is a thick outline (a button's own shadow would not tell focus apart).
    const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return {
      label: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`,
      className: el.className,
      visible,
      tabStop: (el as HTMLElement).tabIndex >= 0,
    };
  });
}
