// The func-gen user message (our own wording): which function, where, and what "done" means.

import { languageProfile } from "../../lang/profile.js";
import type { LanguageId } from "../../lang/types.js";

export function funcGenInstruction(file: string, qualname: string, language: LanguageId, placeholder: string): string {
  const lang = languageProfile(language).displayName;
  return [
    `The body of the ${lang} function \`${qualname}\` in \`${file}\` has been removed and replaced by \`${placeholder}\`.`,
    "",
    "Implement it. Read its docstring and the surrounding code (the rest of the file, its callers and the helpers " +
      "it can use) to work out what it must do, then write a body that does exactly that.",
    "",
    "Keep the signature, decorators and docstring as they are, and change nothing outside the function's body: no " +
      "other functions, no imports elsewhere in the file, no other files. Do not leave the placeholder or a stub, and " +
      "do not make the function call itself to get its result.",
  ].join("\n");
}
