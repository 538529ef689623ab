"""Domain logic the handlers, the CLI and the scheduler call. Never imports aiogram."""
