"""A worked RL rollout loop: an OpenAI-compatible model acting in `hgym serve` episodes.

    python3 examples/rl_loop.py --server http://127.0.0.1:8780 --token T \
        --model-url http://127.0.0.1:8000/v1 --model my-policy --episodes 8

For each episode: reset() gives the system prompt, the instruction and the tool schemas; the model is asked for
the next turn with the whole conversation and the tools; its assistant message goes to step(); the observations
(tool messages) are appended to the conversation; repeat until terminated or truncated. The last reward is the
verifier's score. In a trainer, this loop is where you keep the token ids / logprobs the model server returns
(vLLM: "logprobs": true) next to each turn, and hand (conversation, reward) to the optimizer.

Standard library only. Prints one JSON line per episode and a summary line.
"""

import argparse
import json
import os
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from hgym_client import HgymClient, HgymEnv  # noqa: E402


def chat(model_url, model, messages, tools, api_key=None, temperature=None, timeout=300.0):
    """One chat-completions call; returns the assistant message (a dict in the OpenAI shape)."""
    body = {"model": model, "messages": messages, "tools": tools}
    if temperature is not None:
        body["temperature"] = temperature
    headers = {"content-type": "application/json"}
    if api_key:
        headers["authorization"] = f"Bearer {api_key}"
    req = urllib.request.Request(model_url.rstrip("/") + "/chat/completions", data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        reply = json.loads(resp.read().decode())
    message = reply["choices"][0]["message"]
    out = {"role": "assistant", "content": message.get("content")}
    if message.get("tool_calls"):
        out["tool_calls"] = message["tool_calls"]
    return out, reply.get("usage")


def run_episode(env, model_url, model, instance_id=None, api_key=None, temperature=None, max_turns=100):
    obs, info = env.reset(options={"instance_id": instance_id} if instance_id else None)
    messages, tools = list(obs["messages"]), obs["tools"]
    reward, terminated, truncated, step_info = 0.0, False, False, {}
    turns = 0
    while not (terminated or truncated):
        if turns >= max_turns:
            _, reward, terminated, truncated, step_info = env.finish()
            break
        action, _usage = chat(model_url, model, messages, tools, api_key=api_key, temperature=temperature)
        messages.append(action)
        obs, reward, terminated, truncated, step_info = env.step(action)
        messages.extend(obs["messages"])
        turns += 1
    return {
        "instance_id": info["instance_id"],
        "task": info["task"],
        "reward": reward,
        "success": bool((step_info.get("reward") or {}).get("success")),
        "exit_reason": step_info.get("exit_reason"),
        "turns": turns,
        "messages": messages,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default=os.environ.get("HGYM_SERVE_URL", "http://127.0.0.1:8780"))
    ap.add_argument("--token", default=os.environ.get("HGYM_SERVE_TOKEN"))
    ap.add_argument("--model-url", default=os.environ.get("OPENAI_BASE_URL"), help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    ap.add_argument("--model", default=os.environ.get("HGYM_MODEL", "policy"))
    ap.add_argument("--api-key-env", default="OPENAI_API_KEY", help="environment variable holding the model's API key")
    ap.add_argument("--episodes", type=int, default=0, help="episodes to run (default: one per instance the server has)")
    ap.add_argument("--temperature", type=float, default=None)
    args = ap.parse_args(argv)
    if not args.model_url:
        ap.error("--model-url (or OPENAI_BASE_URL) is required")
    client = HgymClient(args.server, args.token)
    env = HgymEnv(client)
    ids = [i["instance_id"] for i in client.instances()]
    plan = ids if args.episodes <= 0 else [ids[k % len(ids)] for k in range(args.episodes)]
    results = []
    try:
        for instance_id in plan:
            r = run_episode(env, args.model_url, args.model, instance_id, api_key=os.environ.get(args.api_key_env), temperature=args.temperature)
            results.append(r)
            print(json.dumps({k: r[k] for k in ("instance_id", "task", "reward", "success", "exit_reason", "turns")}), flush=True)
    finally:
        env.close()
    mean = sum(r["reward"] for r in results) / len(results) if results else 0.0
    print(json.dumps({"episodes": len(results), "mean_reward": mean, "solved": sum(r["success"] for r in results)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
