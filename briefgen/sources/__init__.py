"""Reading sources from disk: text decoding, front matter, the actor registry."""
