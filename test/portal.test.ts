import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serverDatabase } from './support/databases.js';
import { randomAddress, type ServerProcess, startServerProcess } from './support/server-process.js';

// The example portal in headless Chromium (Debian's package, driven by playwright-core)
// against a real server process: two members in two browser contexts, one starts a
// network and the other joins; an offer posted by one appears live for the other; an
// exchange is proposed from a suggested match, accepted, completed and confirmed; the
// steward dashboard draws the map. Screenshots go to test/artifacts/portal/.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts/portal';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium package)`);

let server: ServerProcess;
let browser: Browser;
const cleanup: (() => Promise<unknown>)[] = [];
const consoleProblems: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync('portal/dist/index.html')) throw new Error('the portal is not built: npm run portal:build (npm test does it)');
  const database = await serverDatabase('portal');
  cleanup.push(() => database.remove());
  server = await startServerProcess(database.env);
  cleanup.push(() => server.stop());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  cleanup.push(() => browser.close());
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** A browser context of its own (its own storage, so its own session), coming from its own address. */
async function person(name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { 'x-forwarded-for': randomAddress() } });
  const page = await context.newPage();
  page.on('console', (m) => void (m.type() === 'error' && consoleProblems.push(`${name}: ${m.text()}`)));
  page.on('pageerror', (e) => consoleProblems.push(`${name}: ${e.message}`));
  await page.goto(server.url.replace(/graphql$/, ''));
  return { context, page };
}

async function signUp(page: Page, handle: string) {
  await page.getByRole('navigation').getByRole('link', { name: 'Sign up' }).click();
  await page.getByLabel('Email').fill(`${handle}@example.org`);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(handle[0]!.toUpperCase() + handle.slice(1));
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();
  // The API's error is shown next to the field it concerns.
  await page.getByRole('alert').filter({ hasText: /at least 10 characters/i }).waitFor();
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByText(`Signed in as @${handle}`).waitFor();
}

const listingTitled = (page: Page, title: string) => page.getByTestId('listing').filter({ hasText: title });

it.skipIf(!hasChromium)('lets two members meet, exchange and see it live, and draws the steward dashboard', async () => {
  const stella = await person('stella');
  const omar = await person('omar');
  await signUp(stella.page, 'stella');
  await signUp(omar.page, 'omar');

  // Stella starts a network; Omar finds it among the public ones and joins.
  await stella.page.getByText('Start a network').click();
  await stella.page.getByLabel('Name').fill('Tool Library');
  await stella.page.getByLabel('Address').fill('tool-library');
  await stella.page.getByLabel('Purpose').fill('Lend tools, teach each other to use them.');
  await stella.page.getByRole('button', { name: 'Create network' }).click();
  await stella.page.getByRole('heading', { name: 'Tool Library', level: 1 }).waitFor();
  await omar.page.reload();
  await omar.page.getByRole('button', { name: 'Join Tool Library' }).click();
  await omar.page.getByRole('heading', { name: 'Your networks' }).waitFor();
  await omar.page.getByRole('link', { name: 'Tool Library' }).first().click();
  await omar.page.getByText('you are a member').waitFor();
  await stella.page.reload();
  await stella.page.getByText('you are a steward').waitFor();

  // An offer posted by Stella appears on Omar's page without a reload.
  await omar.page.getByTestId('live-feed').waitFor();
  await stella.page.getByLabel('I want to').selectOption('OFFER');
  await stella.page.getByLabel('Kind', { exact: true }).last().selectOption('SKILLS');
  await stella.page.getByLabel('Title', { exact: true }).fill('Bike repair lessons');
  await stella.page.getByLabel('Tags').fill('bikes, repair');
  await stella.page.getByRole('button', { name: 'Post' }).click();
  await stella.page.getByText('Your offer "Bike repair lessons" is posted.').waitFor();
  await listingTitled(omar.page, 'Bike repair lessons').waitFor({ timeout: 10_000 });
  await omar.page.getByTestId('live-feed').getByText('Bike repair lessons').waitFor();

  // Omar asks for what Stella offers, and proposes an exchange from the suggested match.
  await omar.page.getByLabel('I want to').selectOption('ASK');
  await omar.page.getByLabel('Kind', { exact: true }).last().selectOption('SKILLS');
  await omar.page.getByLabel('Title', { exact: true }).fill('Learn to true a bike wheel');
  await omar.page.getByLabel('Tags').fill('bikes');
  await omar.page.getByRole('button', { name: 'Post' }).click();
  const ask = listingTitled(omar.page, 'Learn to true a bike wheel');
  await ask.getByRole('button', { name: 'Find matches' }).click();
  await ask.getByRole('button', { name: 'Propose exchange' }).click();
  await ask.getByText('Exchange proposed to @stella.').waitFor();

  // Stella sees it arrive live, accepts and completes it; both confirm.
  const stellasExchange = stella.page.getByTestId('exchange').filter({ hasText: '@stella → @omar' });
  await stellasExchange.getByRole('button', { name: 'Accept' }).click({ timeout: 10_000 });
  await stellasExchange.getByRole('button', { name: 'Mark completed' }).click();
  await stellasExchange.getByRole('button', { name: 'Confirm' }).click();
  await stellasExchange.getByText('Completed').waitFor();
  const omarsExchange = omar.page.getByTestId('exchange').filter({ hasText: '@stella → @omar' });
  await omarsExchange.getByText('Completed').waitFor({ timeout: 10_000 });
  await omarsExchange.getByRole('button', { name: 'Confirm' }).click();
  await omarsExchange.getByRole('button', { name: 'Confirm' }).waitFor({ state: 'detached' });
  await omar.page.getByTestId('live-feed').getByText('@stella → @omar').first().waitFor();

  // Governance: Stella proposes a goal (a missing field is named next to it), Omar votes.
  await stella.page.getByLabel('Proposal title').fill('Saturday opening');
  await stella.page.getByLabel('Why').fill('More people can come at the weekend.');
  await stella.page.getByRole('button', { name: 'Propose' }).click();
  await stella.page.getByRole('alert').filter({ hasText: /goalTitle/ }).waitFor();
  await stella.page.getByLabel('Goal', { exact: true }).fill('Open every Saturday');
  await stella.page.getByRole('button', { name: 'Propose' }).click();
  await stella.page.getByText('"Saturday opening" is open for votes.').waitFor();
  await omar.page.reload();
  await omar.page.getByRole('group', { name: 'Vote on Saturday opening' }).getByRole('button', { name: 'Yes' }).click();
  await omar.page.getByRole('button', { name: 'Yes', pressed: true }).waitFor();
  await stella.page.reload();
  await stella.page.getByLabel('Tally').filter({ hasText: 'Yes 1 ·' }).filter({ hasText: '1 of 2 voted' }).waitFor();
  await stella.page.screenshot({ path: `${ARTIFACTS}/network.png`, fullPage: true });

  // The steward dashboard: the portfolio and the map with both members on it.
  await stella.page.getByRole('link', { name: 'Steward dashboard' }).click();
  const map = stella.page.getByTestId('network-map');
  await map.waitFor();
  expect(await map.locator('[data-node]').count()).toBe(2);
  expect(await map.locator('line').count()).toBe(1); // the tie the exchange made
  const box = await map.boundingBox();
  expect(box!.width).toBeGreaterThan(200);
  await stella.page.getByRole('img', { name: /Members per engagement level/ }).waitFor();
  await stella.page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });

  // A phone-width look at the network page.
  await omar.page.setViewportSize({ width: 390, height: 844 });
  await omar.page.screenshot({ path: `${ARTIFACTS}/network-phone.png`, fullPage: true });

  // Signing out forgets the session.
  await omar.page.getByRole('button', { name: 'Sign out' }).click();
  await omar.page.getByRole('navigation').getByRole('link', { name: 'Sign in' }).waitFor();

  expect(consoleProblems).toEqual([]);
}, 180_000);
