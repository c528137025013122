"""Playbook Tracker, the web application: it imports `playbook`, never the other way round."""

from projects.app import create_app

__all__ = ["create_app"]
