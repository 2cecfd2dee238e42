"""Spatial audio: listeners, and sub tracks placed in the world around them (with distance, direction, Doppler)."""
