"""A gymnasium-style wrapper over one hgym episode at a time (no gymnasium import needed).

Observation: a dict {"messages": [...], "tools": [...]}. After reset, messages are the system prompt and the
instruction; after a step, the messages the turn added (one tool message per tool call, or a reminder when the
action called no tool). Append them to your conversation and send it to the model again.

Action: the model's assistant message as the OpenAI API returns it ({"content", "tool_calls"}), or a bare list of
tool calls.

Reward: 0.0 until the episode ends; then the verifier's score (0..1, 1.0 when solved). info["reward"] has the
verifier's whole verdict (success, metrics, violations).
"""

from .client import HgymClient


class HgymEnv:
    def __init__(self, client, instance_ids=None):
        """client: an HgymClient. instance_ids: the instances reset() cycles through (default: all the server has)."""
        self.client = client if isinstance(client, HgymClient) else HgymClient(*client)
        self.instance_ids = list(instance_ids) if instance_ids is not None else None
        self.episode_id = None
        self._next = 0

    def reset(self, seed=None, options=None):
        """Closes the current episode (if open) and starts one. options={"instance_id": ...} or {"instance": {...}}
        picks the instance; otherwise the next of instance_ids. Returns (observation, info)."""
        self.close()
        options = options or {}
        if "instance" in options:
            created = self.client.create(instance=options["instance"])
        else:
            instance_id = options.get("instance_id")
            if instance_id is None:
                if self.instance_ids is None:
                    self.instance_ids = [i["instance_id"] for i in self.client.instances()]
                if seed is not None:
                    self._next = seed
                instance_id = self.instance_ids[self._next % len(self.instance_ids)]
                self._next += 1
            created = self.client.create(instance_id=instance_id)
        self.episode_id = created["episode_id"]
        obs = {"messages": created["observation"]["messages"], "tools": created["observation"]["tools"]}
        info = {k: created[k] for k in ("episode_id", "instance_id", "task", "sample")}
        info["workspace_path"] = created["observation"]["workspace_path"]
        return obs, info

    def step(self, action):
        """Runs the action's tool calls. Returns (observation, reward, terminated, truncated, info)."""
        if self.episode_id is None:
            raise RuntimeError("call reset() before step()")
        if isinstance(action, dict):
            tool_calls = action.get("tool_calls") or []
            content = action.get("content")
            reasoning = action.get("reasoning_content")
        else:
            tool_calls, content, reasoning = list(action), None, None
        result = self.client.step(self.episode_id, tool_calls, content=content, reasoning_content=reasoning)
        return self._answer(result, result["messages"])

    def finish(self):
        """Ends the episode without a finish tool call and scores it. Returns the same 5-tuple as step()."""
        result = self.client.finish(self.episode_id)
        return self._answer(result, [])

    def _answer(self, result, messages):
        done = result["done"]
        reward_detail = result.get("reward")
        reward = float(reward_detail["score"]) if done and reward_detail else 0.0
        info = {
            "exit_reason": result.get("exit_reason"),
            "reward": reward_detail,
            "error": result.get("error"),
            "steps": result.get("steps", []),
            "tool_ms": result.get("tool_ms"),
            "server_ms": result.get("server_ms"),
        }
        if done:
            # Ended and recorded in the server's run directory; let the server forget it now.
            ended, self.episode_id = self.episode_id, None
            self.client.close(ended)
        return {"messages": messages, "tools": None}, reward, bool(result["terminated"]), bool(result["truncated"]), info

    def close(self):
        if self.episode_id is not None:
            try:
                self.client.close(self.episode_id)
            finally:
                self.episode_id = None
