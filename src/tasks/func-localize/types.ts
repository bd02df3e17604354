// func-localize data: the gold answer stored in each instance and the generator's options.

export interface FuncLocalizeGold {
  file: string;
  key: string; // definition key in its file (qualified name, "#n" for repeats); found again by key at verify time
  qualifiedName: string; // "<file>::<key>"
  name: string;
  kind: string;
  docstring: string; // the original docstring's text (markers and indentation removed)
  docstring_raw: string; // its exact source
  distractors: { file: string; key: string }[]; // other definitions whose docstrings were removed too
  patch: string; // the gold patch against the starting state: the original docstring put back
}

export type DescriptionMode = "llm" | "docstring" | "auto";

export interface FuncLocalizeOptions {
  distractors: number; // how many other definitions lose their docstring (default 3)
  description: DescriptionMode; // "auto": LLM when an endpoint is configured, else docstring-derived
  baseURL?: string;
  model?: string;
  apiKey?: string;
}

export const DEFAULT_FUNC_LOCALIZE_OPTIONS: FuncLocalizeOptions = { distractors: 3, description: "auto" };
