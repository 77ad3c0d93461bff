/**
 * Moves around the Allure 2 report page as a reader does: the Behaviors tree
 * (top-level groups, expanding a group, the search box, a scenario's leaf),
 * a test result's pane (status, steps, an attachment's text, links) and the
 * Overview's executor. Each helper waits for what it needs and throws an
 * Error saying what was not there.
 */
import type { Locator, Page } from 'playwright-core';

/** How long one element may take to appear. */
export const WAIT_MS = 15_000;

const exact = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** An element's text ('' for none). */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

/**
 * Opens the report of a run's output directory at a route: `origin` is where
 * the directory is served (http://127.0.0.1:PORT) or its file:// URL.
 */
export async function openReport(page: Page, origin: string, hash: string): Promise<void> {
  await page.goto(`${origin}/allure-report/index.html#${hash}`, { waitUntil: 'load' });
}

/** The names of the tree's top-level groups (Behaviors: the areas). */
export async function topLevelGroups(page: Page): Promise<string[]> {
  const names = page.locator('allure-tree-view > .tree__content > .node > .node__title > .node__name');
  await names.first().waitFor({ timeout: WAIT_MS });
  return (await names.allTextContents()).map((s) => s.trim());
}

function groupTitle(page: Page, name: string): Locator {
  return page
    .locator('.node[data-node-kind="group"] > .node__title')
    .filter({ has: page.locator('.node__name', { hasText: exact(name) }) })
    .first();
}

/** Expands the groups named, outermost first; one already open stays open. */
export async function expandGroups(page: Page, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const title = groupTitle(page, name);
    try {
      await title.waitFor({ timeout: WAIT_MS });
    } catch {
      throw new Error(`the tree shows no group "${name}"`);
    }
    const open = await title.evaluate((el) => el.parentElement?.classList.contains('node__expanded') ?? false);
    if (!open) await title.click();
  }
}

/** A scenario's leaf in the tree. */
export function leaf(page: Page, scenario: string): Locator {
  return page
    .locator('a.node__leaf')
    .filter({ has: page.locator('.node__name', { hasText: exact(scenario) }) })
    .first();
}

/** Whether the element shows within the wait (false, not an exception, when it does not). */
export async function shows(locator: Locator, timeout = WAIT_MS): Promise<boolean> {
  return locator.waitFor({ timeout }).then(
    () => true,
    () => false,
  );
}

export async function search(page: Page, text: string): Promise<void> {
  await page.locator('.search__input').fill(text);
}

export interface ResultPane {
  name: string;
  status: string;
  steps: string[];
}

/** Clicks a scenario's leaf and reads the test result pane it opens. */
export async function openScenario(page: Page, scenario: string): Promise<ResultPane> {
  const l = leaf(page, scenario);
  if (!(await shows(l))) throw new Error(`the tree shows no scenario "${scenario}"`);
  await l.click();
  const pane = page.locator('allure-test-result-view.test-result');
  const title = pane.locator('.test-result__name .long-line', { hasText: exact(scenario) });
  if (!(await shows(title))) throw new Error(`clicking "${scenario}" opened no test result of that name`);
  // the set-up's steps are there but folded
  await pane.locator('.step__name').first().waitFor({ state: 'attached', timeout: WAIT_MS });
  return {
    name: (await textOf(title)).trim(),
    status: (await textOf(pane.locator('.test-result__status'))).trim(),
    steps: (await pane.locator('.step__name').allTextContents()).map((s) => s.trim()),
  };
}

/** Opens the test result's attachment of that name and returns its text as the page shows it. */
export async function attachmentText(page: Page, name: string): Promise<string> {
  const row = page
    .locator('allure-test-result-view .attachment-row')
    .filter({ has: page.locator('.attachment-row__name', { hasText: exact(name) }) })
    .last();
  if (!(await shows(row))) throw new Error(`the test result has no attachment "${name}"`);
  const uid = await row.getAttribute('data-uid');
  await row.click();
  const content = page.locator(`.attachment__${uid}`);
  await content.locator('pre, code, iframe, div').first().waitFor({ timeout: WAIT_MS });
  await content.scrollIntoViewIfNeeded();
  return textOf(content);
}

/**
 * Clicks a link (it opens a new tab) and returns the page it opened, loaded.
 * The caller closes it.
 */
export async function followToNewPage(page: Page, link: Locator): Promise<Page> {
  const opened = page.context().waitForEvent('page', { timeout: WAIT_MS });
  await link.click();
  const target = await opened;
  await target.waitForLoadState('load');
  return target;
}
