import { changesFromPatch, parsePatch } from "/work/main/src/repo/patch.ts";
const view = { paths: ["a.py"], read: (p: string) => (p === "a.py" ? "x = 1\n" : null) } as any;
const patch = "diff --git a/a.py b/a.py\nold mode 100644\nnew mode 100755\n";
console.log(parsePatch(patch));
console.log(changesFromPatch(view, patch));
