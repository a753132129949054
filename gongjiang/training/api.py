"""The training REST API: one router, with a sub-module per part of the lifecycle (each adds its
operations to `router`). Registered at /api/ in config/api.py."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["培训"])

# The operations live beside each part of the lifecycle; importing them registers them on `router`.
from . import api_closing, api_filing, api_follow_up, api_running  # noqa: E402, F401
