// The options `hgym generate func-localize` adds.

import type { TaskCli } from "../task-cli.js";
import { integerOption } from "../common/cli-values.js";
import { DEFAULT_FUNC_LOCALIZE_OPTIONS, type DescriptionMode, type FuncLocalizeOptions } from "./types.js";

export const funcLocalizeCli: TaskCli<FuncLocalizeOptions> = {
  options: [
    {
      flags: "--distractors <n>",
      description: "other definitions whose docstrings are removed too (same file first)",
      defaultValue: DEFAULT_FUNC_LOCALIZE_OPTIONS.distractors,
      parse: integerOption("--distractors", 0),
    },
    {
      flags: "--description <source>",
      description: "where descriptions come from: llm, docstring, or auto (llm when an endpoint is configured)",
      defaultValue: "auto",
      choices: ["llm", "docstring", "auto"],
    },
    { flags: "--base-url <url>", description: "OpenAI-compatible endpoint for LLM descriptions (default: $OPENAI_BASE_URL)" },
    { flags: "--model <name>", description: "model for LLM descriptions (default: $HGYM_MODEL)" },
  ],
  toOptions(values) {
    return {
      distractors: typeof values.distractors === "number" ? values.distractors : DEFAULT_FUNC_LOCALIZE_OPTIONS.distractors,
      description: (typeof values.description === "string" ? values.description : "auto") as DescriptionMode,
      ...(typeof values.baseUrl === "string" ? { baseURL: values.baseUrl } : {}),
      ...(typeof values.model === "string" ? { model: values.model } : {}),
    };
  },
};
