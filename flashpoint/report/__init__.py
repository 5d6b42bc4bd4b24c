"""Views of the store for people and other tools: the daily briefing and exports."""
