// The viewer end to end in a real browser: `hgym view` over two real runs (rollouts against the scripted model
// server in the sandbox), an instance file and an export, driven with Debian's Chromium. Screenshots of the main
// pages go to test-output/view-screenshots/ for a reviewer to look at.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { view } from "../cli/view.js";
import { launchChromium, type Browser } from "./test-support/browser.js";
import { makeViewerFixture, XSS_PAYLOAD, type ViewerFixture } from "./test-support/runs.js";

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test-output", "view-screenshots");

let tmp: string;
let fixture: ViewerFixture;
let viewer: { url: string; close(): Promise<void> };
let browser: Browser;
const savedCache = process.env.HGYM_CACHE;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-view-browser-"));
  process.env.HGYM_CACHE = join(tmp, "cache");
  fixture = await makeViewerFixture(tmp);
  viewer = await view([join(tmp, "runs"), fixture.instancesPath, fixture.exportPath], { host: "127.0.0.1", port: 0 }, () => undefined);
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  if (savedCache === undefined) delete process.env.HGYM_CACHE;
  else process.env.HGYM_CACHE = savedCache;
  rmSync(tmp, { recursive: true, force: true });
});

async function open(path: string): Promise<Page> {
  const page = await browser.context.newPage();
  const res = await page.goto(new URL(path, viewer.url).toString());
  expect(res?.status()).toBe(200);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe("hgym view in Chromium", () => {
  it("opens the overview with both runs, the counts and the trajectory analysis", async () => {
    const page = await open("/");
    // The analysis is computed in the background; the page says so until it is ready.
    for (let i = 0; i < 60 && !(await page.getByText("Share of actions per component, by task family").count()); i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await expect(page.locator("h1").textContent()).resolves.toBe("Overview");
    const runs = page.locator("table").first();
    const runsText = (await runs.textContent()) ?? "";
    expect(runsText).toMatch(/breaker\s*breaker-model\s*4\s*4\s*50\.0%\s*finished/);
    expect(runsText).toMatch(/solver\s*solver-model\s*4\s*4\s*100\.0%\s*finished/);
    const stats = await page.locator(".stats").first().textContent();
    expect(stats).toContain("8rollouts");
    expect(stats).toContain("75.0%success (6)");
    await expect(page.getByText("Share of actions per component, by task family").count()).resolves.toBe(1);
    await expect(page.locator("svg.svgchart").count()).resolves.toBeGreaterThan(6);
    // The analysis charts (src/analyze/svg.ts) load as images.
    const widths = await page.locator("img.chart").evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
    expect(widths).toHaveLength(3);
    for (const w of widths) expect(w).toBeGreaterThan(100);
    await shot(page, "overview");
    await page.close();
  });

  it("follows a trajectory from the rollout list", async () => {
    const page = await open("/rollouts?run=solver");
    await page.getByRole("link", { name: "tiny/2" }).click();
    await page.waitForURL(/\/run\/solver\/3$/);
    await expect(page.locator("h1").textContent()).resolves.toBe("tiny/2");
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("success");
    expect(text).toContain("Put the docstring of greet back."); // the instance's instruction
    expect(text).toContain('+    """Say hello."""'); // the final diff
    expect(text).toMatch(/step 0 · execute_bash · started \+[\d.]+ s · took \d+/); // timings of each step
    expect(text).toMatch(/model call \+[\d.]+ s · \d+ ms · 120 prompt \/ 30 completion tokens/);
    await expect(page.locator(".diff .add").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator(".tag.exploration").count()).resolves.toBeGreaterThan(0);
    // The page's script runs under the Content-Security-Policy: "fold all" closes every observation.
    await page.getByRole("button", { name: "fold all" }).click();
    await expect(page.locator("details.obs[open]").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "expand all" }).click();
    await expect(page.locator("details.obs:not([open])").count()).resolves.toBe(0);
    await shot(page, "trajectory");
    await page.close();
  });

  it("applies a filter, and the filtered view's link reproduces it", async () => {
    const page = await open("/rollouts");
    await expect(page.locator("table.rollouts tbody tr").count()).resolves.toBe(8);
    await page.locator("select[name=success]").selectOption("no"); // submits on change
    await page.waitForURL(/success=no/);
    await expect(page.locator("table.rollouts tbody tr").count()).resolves.toBe(2);
    await page.locator("select[name=violation]").selectOption("other-file");
    await page.waitForURL(/violation=other-file/);
    const rows = await page.locator("table.rollouts tbody tr").allTextContents();
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatch(/breaker[\s\S]*failure[\s\S]*other-file/);
    const shared = page.url();
    await shot(page, "rollouts-filtered");
    const again = await browser.context.newPage();
    await again.goto(shared);
    await expect(again.locator("table.rollouts tbody tr").allTextContents()).resolves.toEqual(rows);
    await expect(again.locator("select[name=success]").inputValue()).resolves.toBe("no");
    await again.close();
    // Full-text search reads the records themselves: only the breaker's failed rollouts printed the payload.
    await page.goto(new URL(`/rollouts?text=${encodeURIComponent("window.__xss = 1")}`, viewer.url).toString());
    await expect(page.locator("table.rollouts tbody tr").count()).resolves.toBe(2);
    await page.close();
  });

  it("compares two runs on their shared instances", async () => {
    const page = await open("/compare?a=solver&b=breaker");
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("4 shared instances");
    expect(text).toContain("both solved: 2");
    expect(text).toContain("only A: 2");
    expect(text).toContain("only B: 0");
    await shot(page, "compare");
    await page.getByRole("link", { name: "only A: 2" }).click();
    await page.waitForURL(/outcome=only-a/);
    const rows = await page.locator("table.compare tbody tr").allTextContents();
    expect(rows.map((r) => r.match(/tiny\/\d/)?.[0])).toEqual(["tiny/0", "tiny/2"]);
    await page.close();
  });

  it("shows a tool output holding <script> as text and runs none of it", async () => {
    const page = await open("/run/breaker/1");
    await expect(page.getByText(XSS_PAYLOAD).first().isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).resolves.toBeUndefined();
    await expect(page.title()).resolves.not.toContain("pwned");
    await expect(page.locator("main script, main img").count()).resolves.toBe(0);
    // The violation is explained, beyond its record's message.
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("other-file");
    expect(text).toContain("changed util.py");
    expect(text).toContain("Only the target file may change in this task.");
    await shot(page, "trajectory-violation");
    await page.close();
  });

  it("shows the instances and the export", async () => {
    const page = await open("/instances");
    await expect(page.locator("main table tbody tr").count()).resolves.toBe(fixture.instances);
    await page.getByRole("link", { name: "tiny/1" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("tiny/1");
    await shot(page, "instance");
    await page.goto(new URL("/export/openai", viewer.url).toString());
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("4 of 4 records");
    await page.getByRole("link", { name: "1", exact: true }).click();
    await expect(page.locator(".msg").count()).resolves.toBeGreaterThan(3);
    await shot(page, "export-row");
    await page.close();
  });
});
