// Receivers whose annotation names a class of a package that is not installed (hydra's noxfile: `session: Session`
// from nox; `cfg: DictConfig` from omegaconf), resolved by the real pyright through the generator's own functions:
// pyright finds no definition, the annotation states an external type, so the call is external — unless the
// parameter is re-bound, shadowed or unannotated, where the call stays ambiguous. Type stubs kept in the repository
// (`.stubs/nox.pyi`, as hydra does) never make a name a repository definition, and neither do the repository's
// JavaScript files for a Python call. nox, omegaconf and ray are not installed on the machines (checked first, so
// the test cannot pass for the wrong reason).

import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { DependencyOutcome } from "./dependencies.js";
import { useDependencyBench } from "./dependency-bench.js";

const NOXFILE = `from typing import Any, Optional

from nox import Session
from omegaconf import DictConfig
import ray

from app.runner import Runner, make_session


def install(session: Session) -> None:
    session.install("--upgrade", "pip")
    session.run("pytest", silent=True)
    Runner().run()


def with_keywords(session: Session, plugin: str) -> None:
    install(session=session)
    session.run(
        "pytest",
        plugin,
    )


def optional_config(cfg: Optional[DictConfig], key: str) -> object:
    return cfg.get(key)


def outer(session: Session) -> None:
    def inner() -> None:
        session.install("x")
    inner()


def rebound(session: Session) -> None:
    session = make_session()
    session.run("x")


def unannotated(session) -> None:
    session.run("x")


def shadowed_by_lambda(session: Session) -> None:
    call = lambda session: session.run("x")
    call(session)


def any_typed(app: Any) -> None:
    app.run()


def deploy_all(things) -> None:
    for thing in things:
        thing.deploy()


def module_receiver() -> None:
    ray.get("x")
`;

const RUNNER = `class Runner:
    def run(self) -> None:
        print("run")

    def install(self, *names: str) -> None:
        print(names)

    def get(self, key: str) -> object:
        return key


def make_session() -> Runner:
    return Runner()
`;

const NOX_STUB = `class Session:
    def run(self, *args: str, silent: bool = ...) -> None: ...
    def install(self, *args: str) -> None: ...
`;
const RAY_STUB = `def get(ref: object) -> object: ...
`;

const texts = new Map([
  ["noxfile.py", NOXFILE],
  ["app/__init__.py", ""],
  ["app/runner.py", RUNNER],
  [".stubs/nox.pyi", NOX_STUB],
  [".stubs/ray.pyi", RAY_STUB],
  ["website/app.js", "export class Site {\n  deploy() {\n    return 1;\n  }\n}\n"],
]);

function installed(module: string): boolean {
  try {
    execFileSync("python3", ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("receivers whose annotation names a class of a package that is not installed", () => {
  const bench = useDependencyBench(texts);
  const outcome = (key: string): Promise<DependencyOutcome> => bench().outcome("noxfile.py", key);

  it("the packages are not installed here (otherwise pyright would answer and this rule would not be tested)", () => {
    expect(installed("nox")).toBe(false);
    expect(installed("omegaconf")).toBe(false);
    expect(installed("ray")).toBe(false);
  });

  it("`session.install(...)` / `session.run(...)` on `session: Session` from nox are external; the repository's Runner.run stays a dependency", async () => {
    const out = await outcome("install");
    expect(out.ok, JSON.stringify(out)).toBe(true);
    if (!out.ok) return;
    expect(out.deps.map((d) => `${d.file}::${d.def.key}`).sort()).toEqual(["app/runner.py::Runner", "app/runner.py::Runner.run"]);
    expect(out.accounting.external_by["stated-external-receiver"]).toBe(2);
  }, 120_000);

  it("a keyword argument `session=session` and a call over several lines are not re-bindings", async () => {
    const out = await outcome("with_keywords");
    expect(out.ok, JSON.stringify(out)).toBe(true);
    if (out.ok) expect(out.accounting.external_by["stated-external-receiver"]).toBe(1);
  }, 120_000);

  it("`Optional[DictConfig]` states the type too; a closure's receiver is the enclosing function's parameter", async () => {
    const opt = await outcome("optional_config");
    expect(opt.ok, JSON.stringify(opt)).toBe(true);
    const inner = await outcome("outer.inner");
    expect(inner.ok, JSON.stringify(inner)).toBe(true);
  }, 120_000);

  it("a re-bound, unannotated, `Any`-typed or lambda-shadowed receiver stays ambiguous (the repository defines run)", async () => {
    // `app: Any` is hydra's `_run_app(hydra: Any)`, whose `hydra.run(...)` is a repository Hydra's method.
    for (const key of ["rebound", "unannotated", "any_typed", "shadowed_by_lambda"]) {
      const out = await outcome(key);
      expect(out.ok, `${key}: ${JSON.stringify(out)}`).toBe(false);
      if (!out.ok) expect(out.reason, key).toMatch(/^ambiguous-call:/);
    }
  }, 120_000);

  it("a method defined only in the repository's JavaScript cannot be what an unknown Python receiver runs", async () => {
    const out = await outcome("deploy_all");
    expect(out.ok ? out.accounting.external_by["no-repo-definition-named"] : out.reason, JSON.stringify(out)).toBe(1);
  }, 120_000);

  it("a stub of an outside package kept in the repository (.stubs/ray.pyi) does not make `ray` a repository module", async () => {
    const out = await outcome("module_receiver");
    expect(out.ok, JSON.stringify(out)).toBe(true);
    if (out.ok) expect(out.accounting.external_by["non-repo-import"]).toBe(1);
  }, 120_000);
});
