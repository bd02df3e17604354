// `hgym view` as a command: what it prints, and one clear message for each way it cannot start.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { register, view, viewCommandLine } from "./view.js";

let tmp: string;
let instances: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-cli-view-"));
  instances = join(tmp, "instances.jsonl");
  const inst = {
    schema: "hgym.instance/2",
    instance_id: "func-localize/x@1/a.f",
    task: "func-localize",
    language: "python",
    repo: { name: "x", commit: "1", source: "/x", snapshot: "s" },
    setup_patch: "",
    instruction: "Write <b>f</b>.",
    gold: { file: "a.py", key: "f", qualifiedName: "f", name: "f", kind: "function", docstring: "Do f.", docstring_raw: '"""Do f."""', distractors: [], patch: "" },
    meta: { generator_version: "t", seed: 0, difficulty: { stratum: "S" }, validity: { gold: true, null: true, hacks: {} } },
  };
  writeFileSync(instances, JSON.stringify(inst) + "\n");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("hgym view", () => {
  it("serves an instance file on a free port and prints its URL", async () => {
    const out: string[] = [];
    const viewer = await view([instances], { host: "127.0.0.1", port: 0 }, (s) => out.push(s));
    try {
      expect(out.join("\n")).toMatch(/0 run\(s\) with 0 records, 1 instance file\(s\), 0 export\(s\)/);
      expect(out.join("\n")).toContain(`open ${viewer.url}`);
      const page = await (await fetch(new URL("/instance/instances/1", viewer.url))).text();
      expect(page).toContain("Write &lt;b&gt;f&lt;/b&gt;.");
      // A second viewer on the same port is told to pick another.
      const port = Number(new URL(viewer.url).port);
      await expect(view([instances], { host: "127.0.0.1", port }, () => undefined)).rejects.toThrow(new UserError(`port ${port} on 127.0.0.1 is in use; pass another --port (or --port 0 for any free one)`));
    } finally {
      await viewer.close();
    }
  });

  it("refuses paths with nothing to show and a bad port, naming them", async () => {
    await expect(view([join(tmp, "nope")], { host: "127.0.0.1", port: 0 }, () => undefined)).rejects.toThrow(/nope does not exist/);
    const program = new Command().exitOverride();
    register(program);
    await expect(program.parseAsync(["node", "hgym", "view", instances, "--port", "http"])).rejects.toThrow(/--port must be a whole number from 0 to 65535 \(got "http"\)/);
  });

  it("quotes paths in the command it prints only when they need it", () => {
    expect(viewCommandLine(["hgym-quickstart"])).toBe("hgym view hgym-quickstart");
    expect(viewCommandLine(["/tmp/my runs/a", "it's"])).toBe("hgym view '/tmp/my runs/a' 'it'\\''s'");
  });
});
