"""The coaching domain: pure logic and the catalog; no aiogram, no SQLAlchemy."""
