"""Owners without accounts: a checklist item or a finding may be owned by someone who cannot
sign in (the agency's privacy officer), named by a name and an email address. They get
assignment notices and the weekly digest by email with an invitation link; when they accept
it, what they owned becomes their account's. The package has no pages of its own: the item
and finding forms name these owners (`projects.owners.fields`)."""
