"""A local Telegram: the Bot API for the real bot, a JSON API and web chat page for people."""
