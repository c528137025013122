"""Contract packages in the read-only JSON API (routes on the shared `api` blueprint)."""

from __future__ import annotations

from flask import jsonify, url_for
from peewee import fn

from projects.access import project_or_404
from projects.api import bp
from projects.contracts.models import ContractPackage, PackageClause, Revision


@bp.route("/projects/<slug>/contract-packages")
def contract_packages(slug: str):
    project = project_or_404(slug)
    packages = list(
        ContractPackage.select()
        .where(ContractPackage.project == project.id)
        .order_by(ContractPackage.id)
    )
    ids = [p.id for p in packages] or [0]
    clauses: dict[int, list[str]] = {p.id: [] for p in packages}
    for package_id, clause_id in (
        PackageClause.select(PackageClause.package, PackageClause.clause_id)
        .where(PackageClause.package.in_(ids) & PackageClause.included)
        .order_by(PackageClause.position)
        .tuples()
    ):
        clauses[package_id].append(clause_id)
    latest = dict(
        Revision.select(Revision.package, fn.MAX(Revision.number))
        .where(Revision.package.in_(ids))
        .group_by(Revision.package)
        .tuples()
    )
    return jsonify(
        {
            "packages": [
                {
                    "id": p.id,
                    "title": p.title,
                    "status": p.status,
                    "revision": latest.get(p.id),
                    "clauses": clauses[p.id],
                    "exports": {
                        fmt: url_for(
                            "contracts.download",
                            slug=slug,
                            package_id=p.id,
                            number=latest[p.id],
                            fmt=fmt,
                            _external=True,
                        )
                        if p.id in latest
                        else None
                        for fmt in ("docx", "pdf", "markdown")
                    },
                }
                for p in packages
            ]
        }
    )
