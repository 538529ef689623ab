"""The running process: Telegram client, dispatcher and middlewares, start-up checks, run modes."""
