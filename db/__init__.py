"""The encrypted practice vault: SQLCipher file, ORM models, services, audit chain, backups."""
