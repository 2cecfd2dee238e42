"""The compressor effect.

``settings.CompressorBuilder`` is what a caller fills in; ``dsp.CompressorDsp`` runs on the audio thread.
"""
