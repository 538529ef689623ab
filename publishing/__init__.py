"""What the movement publishes: tallies over observers' protocols (and, next, the channel posts,
charts and their schedule)."""
