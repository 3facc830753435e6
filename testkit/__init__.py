"""What tests and benchmarks share: fakes of the outside world (Telegram's Bot API in process and over HTTP),
a chat client that plays a student, scratch databases, and students seeded the way the bot makes them.

Both `tests/` and `bench/` import from here; neither imports the other. Not part of the installed bot."""
