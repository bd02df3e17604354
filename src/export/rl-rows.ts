// `hgym export-tasks --format verl|skyrl`: one RL prompt row per instance for trainers that roll out against an
// environment and score with a reward function. Rows hold what the trainers document:
//   verl   (https://verl.readthedocs.io/en/latest/preparation/prepare_data.html): data_source, prompt (chat
//          messages), ability, reward_model {style, ground_truth}, extra_info {split, index, ...}; agent_name picks
//          the agent loop (https://verl.readthedocs.io/en/latest/advance/agent_loop.html).
//   skyrl  (SkyRL-Gym's dataset format): prompt, env_class, reward_spec {method, ground_truth}, data_source, extra_info.
// The gold never leaves hgym: `ground_truth` is the instance id, and the reward comes from `hgym serve`
// (server_url), which scores the final workspace with the same verifier as offline runs. Both shapes carry the
// same extra_info: instance id, task, repository, language, the server URL, the instance file's name and sha256,
// and the tools (OpenAI JSON Schemas) the episode offers.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { systemPrompt } from "../agent/prompts.js";
import { toolSchemas } from "../agent/tools.js";
import type { ChatMessage } from "../agent/types.js";
import type { InstanceRecord } from "../core/schemas/instance.js";
import { sha256 } from "../util/hash.js";

export type RlFormat = "verl" | "skyrl";
export const RL_FORMATS: readonly RlFormat[] = ["verl", "skyrl"];

export interface RlRowOptions {
  format: RlFormat;
  serverUrl: string;
  instancesFile: string;
  split: string;
  envClass: string; // SkyRL env_class / verl agent_name the user registers
}

export interface RlExtraInfo {
  split: string;
  index: number;
  instance_id: string;
  task: string;
  repo: string;
  language: string;
  server_url: string;
  instances_file: string;
  instances_sha256: string;
  tools: string; // JSON text: a fixed-type column in Parquet whatever the schemas hold
}

// What the agent sees at the start of an episode (agent/loop.ts): the system prompt for a native-tools episode in
// /workspace/<repo>, and the instruction.
export function initialPrompt(instance: InstanceRecord): ChatMessage[] {
  const tools = toolSchemas();
  return [
    { role: "system", content: systemPrompt({ workspacePath: `/workspace/${instance.repo.name}`, toolFormat: "native", tools }) },
    { role: "user", content: instance.instruction },
  ];
}

export function rlRows(instances: InstanceRecord[], opts: RlRowOptions): Record<string, unknown>[] {
  const fileSha = sha256(readFileSync(opts.instancesFile));
  const tools = JSON.stringify(toolSchemas());
  return instances.map((inst, index) => {
    const extra: RlExtraInfo = {
      split: opts.split,
      index,
      instance_id: inst.instance_id,
      task: inst.task,
      repo: inst.repo.name,
      language: inst.language,
      server_url: opts.serverUrl,
      instances_file: basename(opts.instancesFile),
      instances_sha256: fileSha,
      tools,
    };
    const prompt = initialPrompt(inst);
    if (opts.format === "verl") {
      return {
        data_source: `hybrid-gym/${inst.task}`,
        prompt,
        ability: "agentic-coding",
        reward_model: { style: "rule", ground_truth: inst.instance_id },
        agent_name: opts.envClass,
        extra_info: extra,
      };
    }
    return {
      data_source: `hybrid-gym/${inst.task}`,
      prompt,
      env_class: opts.envClass,
      reward_spec: { method: "rule", ground_truth: inst.instance_id },
      extra_info: extra,
    };
  });
}
