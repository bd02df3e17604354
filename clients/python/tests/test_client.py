"""Tests of the Python client against a real `hgym serve`.

Run by src/serve/python-client.test.ts, which starts the server on the quickstart instances and a scripted
OpenAI-compatible model that replays each instance's oracle (gold) actions, and passes:
  HGYM_SERVE_URL, HGYM_SERVE_TOKEN   the server
  HGYM_TEST_MODEL_URL                 the scripted model (base URL ending in /v1)
  HGYM_TEST_INSTANCES                 the server's instance file
"""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "examples"))

from hgym_client import HgymClient, HgymEnv, HgymError  # noqa: E402

URL = os.environ.get("HGYM_SERVE_URL")
TOKEN = os.environ.get("HGYM_SERVE_TOKEN")
MODEL_URL = os.environ.get("HGYM_TEST_MODEL_URL")
INSTANCES = os.environ.get("HGYM_TEST_INSTANCES")
FAMILIES = {"func-localize", "issue-localize", "dep-search", "func-gen"}


def bash(command, call_id="c1"):
    return {"id": call_id, "type": "function", "function": {"name": "execute_bash", "arguments": json.dumps({"command": command})}}


@unittest.skipUnless(URL and MODEL_URL and INSTANCES, "needs a running hgym serve (run through vitest: src/serve/python-client.test.ts)")
class ServeTests(unittest.TestCase):
    def setUp(self):
        self.client = HgymClient(URL, TOKEN)
        self.instances = self.client.instances()

    def test_example_loop_reaches_reward_1_on_every_family(self):
        import rl_loop

        env = HgymEnv(self.client)
        seen = set()
        for inst in self.instances:
            result = rl_loop.run_episode(env, MODEL_URL, "oracle-replay", inst["instance_id"])
            self.assertEqual(result["reward"], 1.0, f"{inst['instance_id']}: {result['exit_reason']}")
            self.assertTrue(result["success"])
            self.assertEqual(result["exit_reason"], "finished")
            self.assertGreater(result["turns"], 1)
            seen.add(result["task"])
        self.assertEqual(seen, FAMILIES)
        self.assertIsNone(env.episode_id)

    def test_main_prints_a_summary(self):
        import io
        import contextlib
        import rl_loop

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = rl_loop.main(["--server", URL, "--token", TOKEN or "", "--model-url", MODEL_URL, "--episodes", str(len(self.instances))])
        self.assertEqual(code, 0)
        summary = json.loads(out.getvalue().strip().splitlines()[-1])
        self.assertEqual(summary["episodes"], len(self.instances))
        self.assertEqual(summary["mean_reward"], 1.0)

    def test_gym_wrapper_untouched_workspace_scores_0(self):
        env = HgymEnv(self.client, instance_ids=[i["instance_id"] for i in self.instances])
        obs, info = env.reset(seed=0)
        self.assertEqual([m["role"] for m in obs["messages"]], ["system", "user"])
        self.assertEqual({t["function"]["name"] for t in obs["tools"]}, {"execute_bash", "str_replace_editor", "think", "finish"})
        self.assertEqual(info["instance_id"], self.instances[0]["instance_id"])
        obs, reward, terminated, truncated, step_info = env.step([bash("git status --short | wc -l")])
        self.assertEqual(obs["messages"][0]["role"], "tool")
        self.assertIn("exit code 0", obs["messages"][0]["content"])
        self.assertEqual((reward, terminated, truncated), (0.0, False, False))
        # tool_ms sums whole-millisecond step durations; server_ms is the server's own clock for the request.
        self.assertGreaterEqual(step_info["server_ms"] + 2, step_info["tool_ms"])
        _, reward, terminated, truncated, step_info = env.finish()
        self.assertEqual((reward, terminated, truncated), (0.0, True, False))
        self.assertFalse(step_info["reward"]["success"])
        env.close()

    def test_create_step_state_list_close(self):
        inst = self.instances[1]["instance_id"]
        ep = self.client.create(instance_id=inst)
        eid = ep["episode_id"]
        self.assertEqual(ep["instance_id"], inst)
        self.assertIn(eid, [e["episode_id"] for e in self.client.list()])
        r = self.client.step(eid, [bash("echo one", "a"), bash("echo two", "b")], content="two at once")
        self.assertEqual([m["tool_call_id"] for m in r["messages"]], ["a", "b"])
        self.assertIn("two", r["messages"][1]["content"])
        self.assertFalse(r["done"])
        state = self.client.state(eid, messages=True)
        self.assertEqual(state["status"], "ready")
        self.assertEqual(state["steps"], 2)
        self.assertEqual(state["messages"][2]["content"], "two at once")
        self.assertEqual(self.client.close(eid)["status"], "closed")
        with self.assertRaises(HgymError) as e:
            self.client.state(eid)
        self.assertEqual(e.exception.status, 404)

    def test_posted_instance(self):
        with open(INSTANCES) as f:
            line = json.loads(f.readline())
        ep = self.client.create(instance=line)
        self.assertEqual(ep["instance_id"], line["instance_id"])
        self.client.close(ep["episode_id"])
        broken = dict(line)
        del broken["instruction"]
        with self.assertRaises(HgymError) as e:
            self.client.create(instance=broken)
        self.assertEqual(e.exception.status, 400)
        self.assertIn("instruction", e.exception.message)

    def test_bad_requests_get_4xx_and_the_episode_survives(self):
        with self.assertRaises(HgymError) as e:
            self.client.create(instance_id="no/such/instance")
        self.assertEqual(e.exception.status, 404)
        with self.assertRaises(HgymError) as e:
            self.client.step("no-such-episode", [bash("ls")])
        self.assertEqual(e.exception.status, 404)
        with self.assertRaises(HgymError) as e:
            HgymClient(URL, "wrong-token").list()
        self.assertEqual(e.exception.status, 401)
        eid = self.client.create(instance_id=self.instances[0]["instance_id"])["episode_id"]
        with self.assertRaises(HgymError) as e:
            self.client.step(eid, [{"type": "function", "function": {"arguments": "{}"}}])
        self.assertEqual(e.exception.status, 400)
        self.assertIn("tool_calls.0.function.name", e.exception.message)
        # A well-formed call with bad arguments is the model's mistake: an error observation, as offline.
        r = self.client.step(eid, [{"id": "x", "type": "function", "function": {"name": "execute_bash", "arguments": "{not json"}}])
        self.assertEqual(r["steps"][0]["error"], True)
        r = self.client.step(eid, [bash("echo still here")])
        self.assertIn("still here", r["messages"][0]["content"])
        finished = self.client.finish(eid)
        self.assertTrue(finished["done"])
        with self.assertRaises(HgymError) as e:
            self.client.step(eid, [bash("ls")])
        self.assertEqual(e.exception.status, 409)
        self.client.close(eid)


class OfflineTests(unittest.TestCase):
    def test_unreachable_server_is_one_clear_error(self):
        with self.assertRaises(HgymError) as e:
            HgymClient("http://127.0.0.1:1", timeout=5).list()
        self.assertIsNone(e.exception.status)
        self.assertIn("cannot reach hgym serve at http://127.0.0.1:1", str(e.exception))

    def test_create_needs_exactly_one_source(self):
        with self.assertRaises(ValueError):
            HgymClient("http://127.0.0.1:1").create()


if __name__ == "__main__":
    unittest.main()
