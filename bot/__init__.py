"""Runtime and assembly: settings, the composition root, runners and the command line."""

from bot.lazy_types import import_aiogram_lazily

import_aiogram_lazily()  # before anything else imports aiogram: see bot.lazy_types
