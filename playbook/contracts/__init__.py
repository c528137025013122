"""Contract language: the clause library, the answers its texts use, proposal rules and
safe rendering.

The library is a TOML file of clauses, each a Jinja template over a fixed set of named
answers (agency name, contract type, iteration length...). Templates run in an immutable
sandbox with StrictUndefined, no globals, a short allow-list of filters and no attribute or
item access, so a clause written by a person can only fill in answers, never reach Python.

The package's modules: `library` (the library's shape), `answers` (the package answers),
`sandbox` (checking and filling in clause texts), `loading` (reading and checking a clause
file), `proposals` (which clauses are proposed and why) and `deviations` (what departs from
the library). Everything public is re-exported here.
"""

from __future__ import annotations

from playbook.contracts.answers import (
    CHOICE_VARIABLES,
    VARIABLES,
    VARIABLES_BY_NAME,
    Variable,
    default_answers,
    describe_answers,
    sample_answers,
)
from playbook.contracts.deviations import (
    Deviation,
    PackageEntry,
    deviations,
)
from playbook.contracts.library import (
    CLAUSE_ID,
    DEFAULT_LIBRARY,
    PROPOSALS,
    SECTIONS,
    TOPICS,
    Clause,
    Conditions,
    Library,
    LibraryError,
    QaspRow,
    Source,
)
from playbook.contracts.loading import (
    QASP_FIELDS,
    clause_from_dict,
    default_library,
    library_from_dict,
    load_library,
    parse_library,
)
from playbook.contracts.proposals import (
    IN_SCOPE_EXCEPT,
    Proposal,
    evaluate,
    item_in_scope,
    propose,
    proposed_ids,
    qasp_rows,
)
from playbook.contracts.sandbox import (
    MAX_OUTPUT,
    MAX_STEPS,
    MAX_TEXT,
    MAX_WRITTEN,
    SAFE_FILTERS,
    Block,
    ClauseEnvironment,
    ClauseError,
    blocks,
    check_fills_in,
    check_text,
    render_text,
    used_variables,
)

__all__ = [
    "CHOICE_VARIABLES",
    "CLAUSE_ID",
    "DEFAULT_LIBRARY",
    "IN_SCOPE_EXCEPT",
    "MAX_OUTPUT",
    "MAX_STEPS",
    "MAX_TEXT",
    "MAX_WRITTEN",
    "PROPOSALS",
    "QASP_FIELDS",
    "SAFE_FILTERS",
    "SECTIONS",
    "TOPICS",
    "VARIABLES",
    "VARIABLES_BY_NAME",
    "Block",
    "Clause",
    "ClauseEnvironment",
    "ClauseError",
    "Conditions",
    "Deviation",
    "Library",
    "LibraryError",
    "PackageEntry",
    "Proposal",
    "QaspRow",
    "Source",
    "Variable",
    "blocks",
    "check_fills_in",
    "check_text",
    "clause_from_dict",
    "default_answers",
    "default_library",
    "describe_answers",
    "deviations",
    "evaluate",
    "item_in_scope",
    "library_from_dict",
    "load_library",
    "parse_library",
    "propose",
    "proposed_ids",
    "qasp_rows",
    "render_text",
    "sample_answers",
    "used_variables",
]
