"""The session file: SQLModel tables, checks, migrations and the session service.

Importing this package is cheap: the ORM is loaded only by ``service``.
"""
