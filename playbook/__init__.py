"""The Digital Services Playbook as data and pure rules: editions, readiness, contract clauses.

Nothing here imports Flask or peewee, so the rules can be read, tested and reused alone.
"""
