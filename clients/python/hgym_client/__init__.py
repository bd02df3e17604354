"""Python client for `hgym serve`: hybrid-gym tasks as an RL environment over HTTP. Standard library only."""

from .client import HgymClient, HgymError
from .env import HgymEnv

__all__ = ["HgymClient", "HgymEnv", "HgymError"]
