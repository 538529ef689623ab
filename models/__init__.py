"""Domain models (pydantic) and the database tables (SQLAlchemy) they are stored in."""
