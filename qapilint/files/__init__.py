"""Stage 0: reading and writing files (text decoding, the user's cache folder)."""
