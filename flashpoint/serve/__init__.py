"""The HTTP API and the dashboard: `flashpoint serve` (see app.py)."""
