"""Persistence: SQLAlchemy models, repositories, FSM storage and migrations. No Telegram, no business rules."""
