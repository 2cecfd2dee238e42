"""Where the Backend runs: in an audio process of its own (device and null outputs) or in the caller's (offline)."""
