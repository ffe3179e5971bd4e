"""The database layer: models, connection, loading and publishing."""
