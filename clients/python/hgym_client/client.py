"""HTTP client for `hgym serve` (standard library only).

Every method is one request; a refusal raises HgymError with the HTTP status and the server's message.
"""

import json
import urllib.error
import urllib.request


class HgymError(Exception):
    """A request the server refused (status 4xx/5xx) or could not be reached (status None)."""

    def __init__(self, status, message):
        super().__init__(f"{status}: {message}" if status is not None else message)
        self.status = status
        self.message = message


class HgymClient:
    """Talks to one `hgym serve` server.

    url: the server's base URL, e.g. "http://127.0.0.1:8780".
    token: the bearer token the server was started with (--token / HGYM_SERVE_TOKEN), or None.
    timeout: seconds per request; creating an episode waits for a free slot, so keep it generous.
    """

    def __init__(self, url, token=None, timeout=600.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _request(self, method, path, body=None):
        data = None
        headers = {"accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["content-type"] = "application/json"
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                message = json.loads(text).get("error", text)
            except ValueError:
                message = text
            raise HgymError(e.code, message) from None
        except urllib.error.URLError as e:
            raise HgymError(None, f"cannot reach hgym serve at {self.url}: {e.reason}") from None

    def health(self):
        return self._request("GET", "/health")

    def status(self):
        """Slots, queue, episodes by status, and episodes lost in a server restart."""
        return self._request("GET", "/v1/status")

    def instances(self):
        """The instances the server loaded: [{instance_id, task, language, repo}]."""
        return self._request("GET", "/v1/instances")["instances"]

    def create(self, instance_id=None, instance=None):
        """Starts an episode from a loaded instance id, or from a whole instance (a line of an instance file).

        Returns {episode_id, instance_id, task, sample, observation: {messages, tools, instruction, workspace_path}}.
        """
        if (instance_id is None) == (instance is None):
            raise ValueError("give exactly one of instance_id and instance")
        body = {"instance_id": instance_id} if instance_id is not None else {"instance": instance}
        return self._request("POST", "/v1/episodes", body)

    def step(self, episode_id, tool_calls, content=None, usage=None, reasoning_content=None):
        """Runs one assistant turn's tool calls (OpenAI shape: {id, type: "function", function: {name, arguments}}).

        Returns {messages, steps, tool_ms, done, terminated, truncated, exit_reason, reward, error, server_ms}.
        """
        body = {"tool_calls": tool_calls}
        if content is not None:
            body["content"] = content
        if reasoning_content is not None:
            body["reasoning_content"] = reasoning_content
        if usage is not None:
            body["usage"] = {"prompt_tokens": usage["prompt_tokens"], "completion_tokens": usage["completion_tokens"]}
        return self._request("POST", f"/v1/episodes/{episode_id}/step", body)

    def finish(self, episode_id):
        """Ends the episode now and scores the workspace: {done, terminated, truncated, exit_reason, reward, error}."""
        return self._request("POST", f"/v1/episodes/{episode_id}/finish", {})

    def state(self, episode_id, messages=False):
        return self._request("GET", f"/v1/episodes/{episode_id}" + ("?messages=true" if messages else ""))

    def close(self, episode_id):
        """Stops an open episode (nothing is recorded) or forgets an ended one."""
        return self._request("DELETE", f"/v1/episodes/{episode_id}")

    def list(self):
        return self._request("GET", "/v1/episodes")["episodes"]
