"""The officer's side of a package, through the pages: choosing the layout when starting,
facts taken from the project, marking a package final (and a change starting a new draft),
marking the Play 5 items an export satisfies as done, and the "Contract packages" page."""

from __future__ import annotations

import io

from docx import Document
from playhouse.test_utils import count_queries

from projects.audit import AuditEvent
from projects.checklists.models import ItemResponse
from projects.contracts.models import ContractPackage, Revision, RevisionFile
from tests.conftest import make_project, make_user
from tests.contracts.factories import ANSWERS, make_package, officer_project
from tests.pages import filled, forms, url
from tests.research.factories import make_finding


def _start(client, project, **changes) -> ContractPackage:
    new = url("contracts.new", slug=project.slug)
    response = client.post(new, data=filled(client, new, "title", **ANSWERS | changes))
    assert response.status_code == 302, response.text
    return ContractPackage.get(ContractPackage.project == project)


def _detail(project, package) -> str:
    return url("contracts.detail", slug=project.slug, package_id=package.id)


def test_the_officer_chooses_the_layout_and_the_form_says_what_came_from_the_project(
    client, signed_in
):
    officer, project = officer_project(phase="beta")
    finding = make_finding(project, officer, title="Anglers lose their paper licenses")
    ItemResponse.create(project=project, item_id="p09.c1", status="in_progress")
    signed_in(officer)
    page = client.get(url("contracts.new", slug=project.slug)).text
    assert "Taken from the project" in page
    assert "1 research finding" in page and "Play 9" in page
    fields = next(f["fields"] for f in forms(page) if "layout" in f["fields"])
    assert fields["handles_pii"] == "yes" and fields["hosting"] == "commercial-cloud"
    assert "Anglers lose their paper licenses" in page  # offered for citing

    package = _start(client, project, layout="rfq", cited_findings=str(finding.id))
    assert package.layout == "rfq" and package.answers["cited_findings"] == [finding.id]
    page = client.get(_detail(project, package)).text
    assert "Request for quotation" in page
    client.post(url("contracts.export_package", slug=project.slug, package_id=package.id))
    revision = Revision.get(package=package)
    [background] = [s for s in revision.snapshot["sections"] if s["findings"]]
    assert background["heading"] == "1. Background and requirement"
    assert background["findings"][0]["title"] == "Anglers lose their paper licenses"


def test_a_final_package_drops_the_draft_marking_until_it_changes(client, signed_in):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    detail = _detail(project, package)
    response = client.post(url("contracts.finalize", slug=project.slug, package_id=package.id))
    assert response.status_code == 302
    page = client.get(detail).text
    assert "Marked final: revision 1 has no draft marking" in page
    assert ContractPackage.get_by_id(package.id).status == "final"
    final = RevisionFile.get(revision=Revision.get(package=package, number=1), format="docx")
    header = Document(io.BytesIO(bytes(final.content))).sections[0].header.paragraphs[0].text
    assert "Draft" not in header
    assert AuditEvent.select().where(AuditEvent.action == "exported final").count() == 1

    # A change starts a new draft: the next export says "Draft" again.
    answers = url("contracts.answers", slug=project.slug, package_id=package.id)
    client.post(answers, data=filled(client, answers, "title", iteration_weeks="3"))
    assert ContractPackage.get_by_id(package.id).status == "draft"
    client.post(url("contracts.export_package", slug=project.slug, package_id=package.id))
    draft = RevisionFile.get(revision=Revision.get(package=package, number=2), format="docx")
    header = Document(io.BytesIO(bytes(draft.content))).sections[0].header.paragraphs[0].text
    assert header.endswith("\tDraft")


def test_exporting_offers_to_mark_the_play_5_items_done_with_the_revision(client, signed_in):
    officer, project = officer_project(phase="alpha")
    package = make_package(project, officer)
    ItemResponse.create(
        project=project, item_id="p05.c8", status="in_progress", evidence_url="https://x.gov/w"
    )
    signed_in(officer)
    detail = _detail(project, package)
    assert "Play 5 items this package satisfies" not in client.get(detail).text  # not exported
    client.post(url("contracts.export_package", slug=project.slug, package_id=package.id))
    page = client.get(detail).text
    assert "Play 5 items this package satisfies" in page
    action = url("contracts.mark_items", slug=project.slug, package_id=package.id)
    offered = next(f for f in forms(page) if f["action"] == action)
    assert 'value="p05.c4"' in page and 'value="p05.c8"' in page
    assert "The contract lets the government team change feature priorities" in page

    data = offered["fields"] | {"items": ["p05.c4", "p05.c8"]}
    response = client.post(action, data=data)
    assert response.status_code == 302
    page = client.get(detail).text
    assert "Marked 2 Play 5 items done, with revision 1 as evidence." in page
    new = ItemResponse.get(project=project, item_id="p05.c4")
    assert new.status == "done" and new.evidence_url.endswith("/revisions/1/pdf")
    assert "revision 1" in new.note and new.updated_by_id == officer.id
    kept = ItemResponse.get(project=project, item_id="p05.c8")
    assert kept.status == "done" and kept.evidence_url == "https://x.gov/w" and kept.version == 2
    audited = AuditEvent.select().where(AuditEvent.object_type == "ItemResponse")
    assert audited.count() == 2
    play = client.get(url("checklists.play", slug=project.slug, number=5)).text
    assert "/revisions/1/pdf" in play


def test_the_contract_packages_page_lists_what_the_person_may_see(client, signed_in):
    """With its status, latest revision and deviations, in as many queries for two packages
    as for six."""
    officer, project = officer_project()
    hidden = make_project(make_user("lead"), name="Secret project")
    make_package(hidden, make_user("contracting"))
    signed_in(officer)
    counts = []
    for size in (2, 6):
        while ContractPackage.select().where(ContractPackage.project == project).count() < size:
            package = make_package(project, officer)
            ContractPackage.update(title=f"Package {package.id}").where(
                ContractPackage.id == package.id
            ).execute()
        with count_queries() as counter:
            page = client.get(url("contracts.index"))
        assert page.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    titles = [p.title for p in ContractPackage.select().where(ContractPackage.project == project)]
    assert all(title in page.text for title in titles)
    assert "Secret project" not in page.text
    assert "Not exported" in page.text and "Draft" in page.text
    assert url("contracts.index") in page.text  # in the header's navigation

    package = ContractPackage.get(ContractPackage.project == project)
    client.post(url("contracts.export_package", slug=project.slug, package_id=package.id))
    page = client.get(url("contracts.index")).text
    assert "Revision 1" in page
