import { readFileSync } from "node:fs";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The layers of src/ (src/layers.json, lowest first): a folder imports only folders of lower layers, so records and
// errors sit at the bottom (core) and nothing imports the CLI. Test code (*.test.ts, test-support/) may import any
// layer: it drives the real parts end to end. src/layers.test.ts checks the same table over the resolved import
// graph, and import cycles.
const { layers } = JSON.parse(readFileSync(new URL("./src/layers.json", import.meta.url), "utf8"));
const rankOf = (folder) => layers.findIndex((layer) => layer.includes(folder));
const layerRules = layers.flat().flatMap((folder) => {
  const allowed = layers.flat().filter((other) => rankOf(other) < rankOf(folder));
  const forbidden = layers.flat().filter((other) => other !== folder && rankOf(other) >= rankOf(folder));
  if (forbidden.length === 0) return [];
  const message = `src/${folder}/ may import only ${allowed.length ? allowed.join(", ") : "nothing of ours"} (the layers are in src/layers.json).`;
  return [
    {
      files: [`src/${folder}/**/*.ts`],
      ignores: ["**/*.test.ts", "**/test-support/**"],
      rules: { "no-restricted-imports": ["error", { patterns: [{ regex: `^(\\.\\./)+(${forbidden.join("|")})/`, message }] }] },
    },
  ];
});

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "examples/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", AbortController: "readonly", fetch: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  ...layerRules,
);
