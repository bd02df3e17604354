// The func-localize user message (our own wording). No file is named: finding the definition is the task.

import { languageProfile } from "../../lang/profile.js";
import type { LanguageId } from "../../lang/types.js";

function convention(language: LanguageId): string {
  return languageProfile(language).docConvention;
}

export function funcLocalizeInstruction(description: string, language: LanguageId): string {
  return [
    "Somewhere in this repository there is a function, method or class whose documentation has been removed. It is described as follows:",
    "",
    description,
    "",
    "Explore the repository, find the definition that matches this description, and write a docstring for it that " +
      `follows the language's convention (${convention(language)}). The docstring should explain what it does, and ` +
      "its parameters and result where that helps.",
    "",
    "Document only that one definition. Do not change any code: do not edit, move, re-indent or delete code, and do " +
      "not create, delete or rename files.",
  ].join("\n");
}
