/**
 * The dashboard in real headless browsers — Debian's `chromium` and
 * `firefox-esr`, driven by `puppeteer-core` — against a real `serve`
 * process with a QEMU-side peer: the rack lists the BMC, the watchdog's
 * countdown appears and runs down, a power button pressed with the
 * keyboard makes the matching `chassis.control` event, the fault form adds
 * a rule the API lists, the chart shows the replies' latency and its
 * markers take keyboard focus, and screenshots of both views are written
 * (paths printed). Without a browser its test is ignored with the reason;
 * with `CI=true` it fails instead.
 */

import assert from "node:assert/strict";
import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import { POWER_ACTIONS } from "../../src/core/power_actions.ts";
import { BmcProcess } from "../../tools/e2e/bmc_process.ts";
import { VmClient } from "../../tools/load/vm_client.ts";
import { runMain } from "../_helpers/cli.ts";
import { CELL, result } from "../_helpers/matrix_cell.ts";
import { cellHtml, cellReportPath, cellStem } from "../../tools/matrix/cell_report.ts";
import { matrixHtml } from "../../tools/matrix/matrix_html.ts";
import type { Browser, Page } from "puppeteer-core";
import {
  artifactDir,
  CHROMIUM,
  chromiumAvailable,
  FIREFOX,
  firefoxAvailable,
  launchChromium,
  launchFirefox,
} from "../_helpers/browser.ts";

const strict = Deno.env.get("CI") === "true";

async function json<T = Record<string, unknown>>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  return await res.json() as T;
}

/** The first event of `type` after `after`, by the API's long-poll (started before the act). */
function nextEvent(
  api: string,
  type: string,
  after: number,
): Promise<{ data: Record<string, unknown> }> {
  return json(`${api}/api/v1/bmcs/bmc0/events/wait?type=${type}&after=${after}&timeout=30s`);
}

/** What has keyboard focus, and what the chart says about it. */
interface Focused {
  readonly cls: string;
  readonly t: number;
  readonly label: string;
  readonly outline: string;
  readonly detail: string;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(`(() => {
    const e = document.activeElement;
    return { cls: e?.getAttribute("class") ?? "", t: Number(e?.getAttribute("data-t")),
      label: e?.getAttribute("aria-label") ?? "", outline: getComputedStyle(e).outlineStyle,
      detail: document.querySelector("#tl-detail")?.textContent ?? "" };
  })()`) as Promise<Focused>;
}

/**
 * The chart's markers by keyboard: Tab from the window selector enters the
 * chart at its newest item, which shows a focus outline and its event under
 * the chart; ← and Home step back in time; the chart holds still while
 * focused (a tick of the countdown does not take the focus away); Tab
 * leaves it for the first power button.
 */
async function chartByKeyboard(page: Page): Promise<void> {
  await page.focus("#tl-window");
  await page.keyboard.press("Tab");
  const newest = await focused(page);
  assert.match(newest.cls, /\btl-item\b/, "Tab enters the chart");
  assert.equal(newest.outline, "solid", "a visible focus outline");
  await page.waitForFunction(
    `document.querySelector("#tl-detail")?.textContent === ${JSON.stringify(newest.label)}`,
    { timeout: 5_000 },
  );
  assert.match(newest.label, /^\d\d:\d\d:\d\d \S/, "named by its time and event");
  await page.keyboard.press("ArrowLeft");
  const before = await focused(page);
  assert.match(before.cls, /\btl-item\b/);
  assert.ok(before.t <= newest.t && before.label !== newest.label, "← steps back in time");
  await page.keyboard.press("Home");
  const oldest = await focused(page);
  assert.ok(oldest.t <= before.t);
  const ms = await page.$eval(".facts .countdown", (e) => e.getAttribute("data-ms"));
  await page.waitForFunction(
    `document.querySelector(".facts .countdown")?.getAttribute("data-ms") !== ${
      JSON.stringify(ms)
    }`,
    { timeout: 5_000 },
  );
  assert.equal((await focused(page)).label, oldest.label, "focus survives the ticker");
  assert.equal(
    await page.evaluate(`document.querySelector("#tl-detail").textContent`),
    oldest.label,
  );
  await page.keyboard.press("Tab");
  assert.equal(
    await page.evaluate(`document.activeElement.matches("button[data-action]")`),
    true,
    "Tab leaves the chart for the controls",
  );
}

/**
 * The kernel matrix's HTML output: its page links a cell's report, which
 * opens (by keyboard) with the cell's verdict, its chart and steps.
 */
async function matrixReports(page: Page, dir: string): Promise<string> {
  const cells = `${dir}cells/`;
  await Deno.mkdir(cells, { recursive: true });
  await Deno.writeTextFile(cellReportPath(CELL, cells), cellHtml(CELL, await result()));
  const index = `${dir}kernel-matrix.html`;
  await Deno.writeTextFile(
    index,
    matrixHtml([CELL], "kernel matrix", (c) => `cells/${cellStem(c)}.html`),
  );
  await page.goto(`file://${index}`);
  await page.focus("a.report");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  assert.match(page.url(), /\/cells\/6\.1\.0-57-amd64-wedged-kcs-kcs\.html$/);
  assert.equal(await page.$eval("#verdict", (e) => e.textContent), "hang");
  assert.ok(await page.$("svg.timeline .span-hang"), "the wedge is a span on the chart");
  assert.equal(await page.$$eval("tr.step", (rows) => rows.length), 3);
  const shot = `${dir}matrix-cell-report.png`;
  await page.screenshot({ path: shot, fullPage: true });
  return shot;
}

async function lastEventId(api: string): Promise<number> {
  return (await json<{ lastEventId: number }>(`${api}/api/v1/bmcs`)).lastEventId;
}

/** In a 360 px window nothing sticks out sideways (wide tables scroll in their own box). */
async function narrowWindow(page: Page, api: string): Promise<void> {
  await page.setViewport({ width: 360, height: 700 });
  for (const [hash, ready] of [["#/", '[data-bmc="bmc0"]'], ["#/bmc/bmc0", ".fault-form"]]) {
    await page.goto(`${api}/${hash}`);
    await page.waitForSelector(ready!, { timeout: 15_000 });
    const wider = await page.evaluate(`[...document.querySelectorAll("body *")]
      .filter((e) => !e.closest(".scroll") && e.getBoundingClientRect().right > innerWidth + 1)
      .map((e) => e.tagName.toLowerCase() + "." + e.className)`);
    assert.deepEqual(wider, [], `${hash}: nothing wider than the window`);
  }
  await page.setViewport({ width: 1100, height: 760 });
}

/**
 * The event stream drops (the server restarts on the same address): the
 * page says so, reconnects by itself and shows events of the new server.
 */
async function restartedServer(
  page: Page,
  api: string,
  restart: () => Promise<void>,
): Promise<void> {
  await page.goto(`${api}/`);
  await page.waitForFunction(`document.querySelector(".stream")?.textContent.includes("open")`, {
    timeout: 15_000,
  });
  await restart();
  await json(`${api}/api/v1/bmcs/bmc0/sel`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sensorType: "0x1f", eventData: ["0x01"] }),
  });
  await page.waitForFunction(
    `document.querySelector('[data-bmc="bmc0"] .last')?.textContent.includes("sel.added") &&
     document.querySelector(".stream")?.textContent.includes("open")`,
    { timeout: 30_000 },
  );
}

/** One browser the test drives. */
interface Engine {
  readonly name: "Chromium" | "Firefox";
  readonly available: boolean;
  readonly missing: string;
  readonly launch: () => Promise<Browser>;
  /** Prefix of its screenshots' names (the README's are Chromium's). */
  readonly prefix: string;
}

const ENGINES: readonly Engine[] = [
  {
    name: "Chromium",
    available: chromiumAvailable(),
    missing: `no Chromium at ${CHROMIUM} (apt-get install chromium, or set BMC_EMU_CHROMIUM)`,
    launch: launchChromium,
    prefix: "",
  },
  {
    name: "Firefox",
    available: firefoxAvailable(),
    missing: `no Firefox at ${FIREFOX} (apt-get install firefox-esr, or set BMC_EMU_FIREFOX)`,
    launch: launchFirefox,
    prefix: "firefox-",
  },
];

for (const engine of ENGINES) {
  Deno.test({
    name: engine.available || strict
      ? `${engine.name}: the dashboard shows the rack and a BMC live, and its controls call the API`
      : `${engine.name}: the dashboard shows the rack and a BMC live (ignored: ${engine.missing})`,
    ignore: !engine.available && !strict,
    // puppeteer keeps a few timers and its pipe open past close(); the BMC process and the peer are closed.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => exercise(engine),
  });
}

async function exercise(engine: Engine): Promise<void> {
  if (!engine.available) throw new Error(`${engine.name} missing with CI=true: ${engine.missing}`);
  let bmc = await BmcProcess.start();
  const vm = await VmClient.connect(bmc.vmEndpoint());
  const browser = await engine.launch();
  const shot = (dir: string, name: string) => `${dir}${engine.prefix}${name}`;
  try {
    const api = bmc.apiUrl;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.setViewport({ width: 1100, height: 760 });
    await page.goto(`${api}/`);
    // Page functions are given as text: the test is type-checked without the DOM library.
    await page.waitForFunction(
      `document.querySelector('[data-bmc="bmc0"] .vm')?.textContent.includes("connected")`,
      { timeout: 15_000 },
    );
    assert.match(await page.$eval('[data-bmc="bmc0"]', (e) => e.textContent ?? ""), /generic/);

    // The guest arms the watchdog: 600 s, no action; Reset starts it.
    await vm.request(
      NetFn.App,
      AppCmd.SetWatchdogTimer,
      Uint8Array.of(0x04, 0x00, 0, 0, 0x70, 0x17),
    );
    await vm.request(NetFn.App, AppCmd.ResetWatchdogTimer, new Uint8Array());
    const countdown = '[data-bmc="bmc0"] .countdown';
    await page.waitForSelector(countdown, { timeout: 15_000 });
    const first = Number(await page.$eval(countdown, (e) => e.getAttribute("data-ms")));
    assert.ok(first > 500_000 && first <= 601_000, `countdown ${first} ms`);
    await page.waitForFunction(
      `Number(document.querySelector('${countdown}')?.getAttribute("data-ms")) < ${first}`,
      { timeout: 15_000 },
    );
    const dir = await artifactDir();

    // Add a BMC from the page (the run-time API), then remove it again.
    const entry = { id: "node-x", vm: { listen: "tcp:127.0.0.1:0" }, stateFile: null };
    await page.$eval("#add-bmc", (e, text) => {
      (e as unknown as { value: string }).value = String(text);
    }, JSON.stringify(entry));
    await page.type("#add-bmc", " "); // an input event, as typing makes
    await page.click('form.add button[type="submit"]');
    await page.waitForSelector('[data-bmc="node-x"]', { timeout: 15_000 });
    await page.screenshot({ path: shot(dir, "dashboard-rack.png") });
    await page.click('[data-bmc="node-x"] button');
    await page.waitForFunction(`document.querySelector('[data-bmc="node-x"]') === null`, {
      timeout: 15_000,
    });
    const ids = await json<{ bmcs: { id: string }[] }>(`${api}/api/v1/bmcs`);
    assert.deepEqual(ids.bmcs.map((b) => b.id), ["bmc0"]);

    await json(`${api}/api/v1/bmcs/bmc0/guest-reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "dmesg", line: "ipmi_si: a line from the browser test" }),
    });
    await page.click('[data-bmc="bmc0"] h2 a');
    await page.waitForSelector(".fault-form", { timeout: 15_000 });
    const afterOpen = await lastEventId(api);
    const control = nextEvent(api, "chassis.control", afterOpen);
    // With the keyboard, as a user without a mouse would.
    await page.focus('button[data-action="diag-interrupt"]');
    await page.keyboard.press("Enter");
    assert.equal((await control).data.op, POWER_ACTIONS["diag-interrupt"].op);

    const added = nextEvent(api, "fault.added", await lastEventId(api));
    await page.select("#ff-type", "error");
    await page.type("#ff-action\\.cc", "0xC0");
    await page.type("#ff-match\\.command", "app/get-self-test-results");
    await page.type("#ff-name", "from-the-page");
    await page.click('.fault-form button[type="submit"]');
    await added;
    const { rules } = await json<
      { rules: { name?: string; action: { type: string; cc: number } }[] }
    >(
      `${api}/api/v1/bmcs/bmc0/faults`,
    );
    const rule = rules.find((r) => r.name === "from-the-page");
    assert.ok(rule, `a rule named from-the-page in ${JSON.stringify(rules)}`);
    assert.deepEqual(rule.action, { type: "error", cc: 0xc0 });
    await page.waitForSelector("[data-rule]", { timeout: 15_000 });
    await page.waitForSelector("svg.timeline rect.rate", { timeout: 15_000 });
    // The replies' latency: one held back 400 ms by a delay fault tops the strip's scale.
    await json(`${api}/api/v1/bmcs/bmc0/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        match: { command: "app/get-device-id" },
        action: { type: "delay", ms: 400 },
        count: 1,
      }),
    });
    await vm.request(NetFn.App, AppCmd.GetDeviceId, new Uint8Array());
    await page.waitForFunction(
      `/^latency max 4\\d\\d ms$/.test(document.querySelector("svg.timeline .latency-scale")?.textContent ?? "")`,
      { timeout: 15_000 },
    );
    const tips = await page.$$eval(
      "svg.timeline circle.latency-max title",
      (ts) => ts.map((t) => t.textContent ?? ""),
    );
    assert.ok(
      tips.some((t) => /latency median \d.* max 4\d\d ms \(\d+ replies\)/.test(t)),
      `a second with the delayed reply among ${tips.length}: ${tips.at(-1)}`,
    );
    await page.waitForFunction(
      `document.querySelector("table.guest")?.textContent.includes("a line from the browser test")`,
      { timeout: 15_000 },
    );
    assert.deepEqual(errors, [], "no script errors in the page");

    // A scenario run by ctl with --html; the report opened in the browser.
    const scenario = shot(dir, "dashboard-report.json");
    await Deno.writeTextFile(
      scenario,
      JSON.stringify({
        name: "dashboard-report",
        bmc: "bmc0",
        steps: [
          { name: "the watchdog runs", assert: { state: "watchdog.running", equals: true } },
          { name: "reboot the BMC", reset: { mode: "busy", durationMs: 200, watchdog: "keep" } },
          { name: "the BMC is back", wait: { event: "bmc.ready", timeout: "10s" } },
          { name: "the power is off (it is not)", assert: { state: "power", equals: "off" } },
        ],
      }),
    );
    const file = shot(dir, "dashboard-report.html");
    const ctl = await runMain(["ctl", "--api", api, "scenario", "run", scenario, "--html", file]);
    assert.equal(ctl.code, 1, `the scenario fails its last assertion: ${ctl.stderr}`);
    // The BMC view after the run: the reset as a span on a one-minute time line.
    await page.goto(`${api}/#/bmc/bmc0`);
    await page.waitForSelector(".fault-form", { timeout: 15_000 });
    await page.select("#tl-window", "1");
    await page.waitForSelector("svg.timeline .span-reset", { timeout: 15_000 });
    await page.waitForFunction(
      `!document.querySelector(".facts").textContent.includes("resetting")`,
      {
        timeout: 15_000,
      },
    );
    await chartByKeyboard(page);
    await page.screenshot({ path: shot(dir, "dashboard-bmc.png"), fullPage: true });
    await narrowWindow(page, api);
    await page.goto(`file://${file}`);
    assert.equal(await page.$eval("#verdict", (e) => e.textContent), "FAIL");
    const verdicts = await page.$$eval(
      "tr.step td:nth-child(2)",
      (tds) => tds.map((t) => t.textContent),
    );
    assert.deepEqual(verdicts, ["PASS", "done", "PASS", "FAIL"]);
    assert.ok(await page.$("svg.timeline path.countdown"), "the countdown is drawn");
    assert.ok(await page.$("svg.timeline .span-reset"), "the reset is a span");
    await page.screenshot({ path: shot(dir, "dashboard-report.png"), fullPage: true });
    const cellShot = await matrixReports(page, shot(dir, "matrix/"));
    // deno-lint-ignore no-console
    console.log(
      `${engine.name} screenshots: ${
        ["dashboard-rack.png", "dashboard-bmc.png", "dashboard-report.png"].map((n) => shot(dir, n))
          .join(" ")
      } ${cellShot}; report: ${file}`,
    );
    await restartedServer(page, api, async () => {
      await bmc.stop();
      bmc = await BmcProcess.start({ args: ["--api-listen", new URL(api).host] });
    });
  } finally {
    await browser.close();
    await vm.close();
    await bmc.stop();
  }
}
