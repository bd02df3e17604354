// The rule table on real-looking agent commands, each labelled by hand with the component and rule a reader of
// docs/ANALYSIS.md would expect, plus the shell parser on the constructs the rules depend on.

import { describe, expect, it } from "vitest";
import { BUILTIN_RULES, classifyAction } from "./classify.js";
import { rng } from "../util/hash.js";
import { parseShell } from "./shell-parse.js";
import { COMPONENTS, type ActionRule } from "./types.js";

const bash = (command: string) => ({ tool: "execute_bash", arguments: { command } });

// [command, component, rule, the meaningful command the rule matched]
const SHELL_CASES: [string, string, string, string][] = [
  ["ls -la /workspace/repo", "exploration", "shell.list", "ls -la /workspace/repo"],
  ["cd /workspace/repo && ls", "exploration", "shell.list", "ls"],
  ["find . -name '*.py' | head -20", "exploration", "shell.list", "find . -name *.py"],
  ["tree -L 2 src", "exploration", "shell.list", "tree -L 2 src"],
  ['grep -rn "def parse" src/ --include=*.py', "exploration", "shell.search", "grep -rn def parse src/ --include=*.py"],
  ["rg -n 'class Config' | head", "exploration", "shell.search", "rg -n class Config"],
  ["git grep -n TODO", "exploration", "shell.search", "git grep -n TODO"],
  ["cat src/app.py", "exploration", "shell.read", "cat src/app.py"],
  ["sed -n '10,40p' src/app.py", "exploration", "shell.read", "sed -n 10,40p src/app.py"],
  ["head -n 50 README.md && tail -5 setup.py", "exploration", "shell.read", "head -n 50 README.md"],
  ["nl -ba lib/util.ts | sed -n '1,30p'", "exploration", "shell.read", "nl -ba lib/util.ts"],
  ["wc -l src/*.py", "exploration", "shell.read", "wc -l src/*.py"],
  ["which python3", "exploration", "shell.locate", "which python3"],
  ["sed -i 's/foo/bar/' src/app.py", "implementation", "shell.sed-in-place", "sed -i s/foo/bar/ src/app.py"],
  ["cat > src/new.py << 'EOF'\nimport os\nprint(os.getcwd())\nEOF", "implementation", "shell.write-redirect", "cat"],
  ["echo 'x = 1' >> config.py", "implementation", "shell.write-redirect", "echo x = 1"],
  ["printf 'a\\nb\\n' | tee out.txt", "implementation", "shell.tee", "tee out.txt"],
  ["cd /workspace/repo && git apply /tmp/fix.patch", "implementation", "shell.patch", "git apply /tmp/fix.patch"],
  ["patch -p1 < fix.diff", "implementation", "shell.patch", "patch -p1"],
  ["mkdir -p tests && touch tests/__init__.py", "implementation", "shell.file-ops", "mkdir -p tests"],
  ["perl -pi -e 's/old/new/g' a.txt", "implementation", "shell.sed-in-place", "perl -pi -e s/old/new/g a.txt"],
  ["python3 - <<'PY'\nfrom pathlib import Path\nPath('a.py').write_text('x = 1\\n')\nPY", "implementation", "shell.script-writes-file", "python3 -"],
  ["cd /workspace/repo && python -m pytest tests/test_app.py -x -q", "verification", "shell.test-runner", "python -m pytest tests/test_app.py -x -q"],
  ["pytest -k parse 2>&1 | tail -20", "verification", "shell.test-runner", "pytest -k parse"],
  ["PYTHONPATH=src python -m unittest discover -s tests", "verification", "shell.test-runner", "python -m unittest discover -s tests"],
  ["npm test -- --run", "verification", "shell.test-runner", "npm test -- --run"],
  ["npx vitest run src/a.test.ts", "verification", "shell.test-runner", "npx vitest run src/a.test.ts"],
  ["node --test test/", "verification", "shell.test-runner", "node --test test/"],
  ["timeout 60 pytest tests/", "verification", "shell.test-runner", "pytest tests/"],
  ["bash -c 'cd /repo && pytest -q'", "verification", "shell.test-runner", "pytest -q"],
  ["npx tsc --noEmit", "verification", "shell.test-runner", "npx tsc --noEmit"],
  ["tsc -p tsconfig.json", "verification", "shell.static-check", "tsc -p tsconfig.json"],
  ["python -m py_compile src/app.py", "verification", "shell.static-check", "python -m py_compile src/app.py"],
  ["python reproduce.py", "verification", "shell.run-code", "python reproduce.py"],
  ['python3 -c "import app; print(app.VERSION)"', "verification", "shell.run-code", "python3 -c import app; print(app.VERSION)"],
  ["node scripts/check.js > /dev/null && echo ok", "verification", "shell.run-code", "node scripts/check.js"],
  ["cd /workspace/repo", "navigation", "shell.cd", "cd /workspace/repo"],
  ["pwd", "navigation", "shell.cd", "pwd"],
  ["git status && git diff", "navigation", "shell.git-inspect", "git status"],
  ["git --no-pager log --oneline -5", "navigation", "shell.git-inspect", "git --no-pager log --oneline -5"],
  ["pip install -e . && python -m pytest", "verification", "shell.test-runner", "python -m pytest"],
  ["pip install requests", "other", "shell.install", "pip install requests"],
  ["export DEBUG=1", "other", "shell.setup", "export DEBUG=1"],
  ["echo hello", "other", "shell.echo", "echo hello"],
  ["frobnicate --all", "other", "shell.unknown", "frobnicate --all"],
  ["# just a comment", "other", "shell.empty", ""],
];

describe("classifyAction on shell commands", () => {
  it.each(SHELL_CASES)("%s", (command, component, rule, meaningful) => {
    const c = classifyAction(bash(command));
    expect({ component: c.component, rule: c.rule, command: c.command ?? "" }).toEqual({ component, rule, command: meaningful });
  });
});

describe("classifyAction on other tools", () => {
  it.each([
    [{ tool: "str_replace_editor", arguments: { command: "view", path: "/w/a.py" } }, "exploration", "editor.view"],
    [{ tool: "str_replace_editor", arguments: { command: "create", path: "/w/b.py", file_text: "x" } }, "implementation", "editor.create"],
    [{ tool: "str_replace_editor", arguments: { command: "str_replace", path: "/w/a.py", old_str: "a", new_str: "b" } }, "implementation", "editor.str_replace"],
    [{ tool: "str_replace_editor", arguments: { command: "insert", path: "/w/a.py", insert_line: 3, new_str: "b" } }, "implementation", "editor.insert"],
    [{ tool: "str_replace_editor", arguments: { command: "undo_edit", path: "/w/a.py" } }, "implementation", "editor.undo_edit"],
    [{ tool: "think", arguments: { thought: "The bug is in parse()." } }, "reasoning", "tool.think"],
    [{ tool: "(none)", arguments: null }, "reasoning", "reply.no-tool"],
    [{ tool: "finish", arguments: { message: "done" } }, "submission", "tool.finish"],
    [{ tool: "execute_bash", arguments: { command: "C-c", is_input: "true" } }, "other", "shell.input"],
    [{ tool: "(unreadable)", arguments: null }, "other", "tool.unreadable"],
    [{ tool: "browser", arguments: { url: "x" } }, "other", "tool.unknown"],
  ])("%j", (step, component, rule) => {
    expect(classifyAction(step)).toMatchObject({ component, rule });
  });
});

describe("extending the rule table", () => {
  it("tries caller rules first and records their id", () => {
    const rules: ActionRule[] = [{ id: "site.bench", component: "verification", description: "our benchmark script", shell: (c) => c.program === "frobnicate" }];
    expect(classifyAction(bash("cd x && frobnicate --all"), rules)).toMatchObject({ component: "verification", rule: "site.bench", command: "frobnicate --all" });
    expect(classifyAction(bash("frobnicate --all"))).toMatchObject({ component: "other", rule: "shell.unknown" });
  });

  it("has unique rule ids", () => {
    const ids = BUILTIN_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("parseShell", () => {
  it("splits at operators, resolves quotes, keeps here-document bodies out of the commands", () => {
    const cmds = parseShell(`cd "/a b" && cat > f.py <<'EOF'\nrm -rf /\nEOF\necho 'x;y' | grep -c x; ls`);
    expect(cmds.map((c) => c.program)).toEqual(["cd", "cat", "echo", "grep", "ls"]);
    expect(cmds[0]?.args).toEqual(["/a b"]);
    expect(cmds[1]?.redirects).toEqual([
      { op: ">", target: "f.py" },
      { op: "<<", target: "EOF", body: "rm -rf /" },
    ]);
    expect(cmds[2]?.args).toEqual(["x;y"]);
  });

  it("removes env assignments and wrappers, unwraps bash -c", () => {
    expect(parseShell("FOO=1 BAR='a b' env -u X sudo -u me timeout -s KILL 30 nohup python x.py").map((c) => [c.program, ...c.args])).toEqual([["python", "x.py"]]);
    expect(parseShell(`sh -c "ls && bash -c 'pytest -q'"`).map((c) => c.program)).toEqual(["ls", "pytest"]);
    expect(parseShell("find . -name '*.py' | xargs -I{} grep -l foo {}").map((c) => c.program)).toEqual(["find", "grep"]);
  });

  it("keeps command substitutions inside their word and stops at comments", () => {
    const [c] = parseShell('echo "$(ls | wc -l) files" # count');
    expect(c?.args).toEqual(["$(ls | wc -l) files"]);
    expect(parseShell("for f in *.py; do python $f; done").map((x) => x.program)).toEqual(["for", "python"]);
  });
});

describe("malformed command lines", () => {
  it("never throws and always ends on broken quoting, substitutions and redirections", () => {
    const broken = ["'unterminated", '"abc', "$(ls", "echo \\", "cat <<EOF", ">", "&&&&", "|||", "(((", "))", "`ls", "2>&1", "a=b", "<<< x", "cd 'a\nb'"];
    // Plus 3000 seeded random strings over the characters the parser cares about.
    const random = rng(12);
    const alphabet = ["a", "ls", " ", "'", '"', "\\", "$(", ")", "(", "`", "|", "&", ";", "\n", ">", "<<", "EOF", "#", "=", "-i", "sed", "cat", "python", "-c"];
    for (let k = 0; k < 3000; k++) broken.push(Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
    for (const line of broken) {
      const c = classifyAction(bash(line));
      expect(COMPONENTS).toContain(c.component);
    }
  });
});
