// Public surface of the agent module: the loop, the policies that drive it (model client, oracle), the tools and
// the text format (also used by exports).

export { runEpisode, DefaultAgent, EpisodeEnd, failureKind, DEFAULT_LIMITS, type AgentLimits, type EpisodeOutcome, type ParsedAction, type RunEpisodeOptions } from "./loop.js";
export {
  ModelClient,
  resolveEndpoint,
  loadPriceTable,
  costOf,
  type Endpoint,
  type ModelClientOptions,
  type ModelPrice,
  type PriceTable,
  type RetryOptions,
  type SamplingOptions,
} from "./model-client.js";
export { createOraclePolicy, OraclePolicy, ORACLE_MODEL } from "./oracle.js";
export { PolicyError, type Policy, type PolicyRequest, type PolicyResponse, type AttemptFailure } from "./policy.js";
export { toolSchemas, validateToolCall, TOOL_NAMES, type ToolName } from "./tools.js";
export { FileEditor } from "./editor.js";
export {
  toTextFormat,
  textToolsSection,
  formatTextToolCall,
  parseTextToolCall,
  executionResultText,
  EXECUTION_RESULT_PREFIX,
} from "./text-format.js";
export { systemPrompt, continuationMessage, promptHash } from "./prompts.js";
export { fitContext, type ContextBudget } from "./context.js";
export { detectStuck } from "./stuck.js";
export { truncateMiddle } from "./truncate.js";
export type * from "./types.js";
