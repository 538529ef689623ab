"""The database: engine, unit of work, repositories, FSM storage and Alembic migrations."""
