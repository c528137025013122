"""User-research findings: the research log of a project, evidence for its plays.

Importing this package adds its routes: the `research` blueprint's views and the findings
endpoint on the API blueprint (so it must be imported before blueprints are registered).
"""

from projects.research import api, imports  # noqa: F401 - importing registers the routes
from projects.research.views import bp

__all__ = ["bp"]
