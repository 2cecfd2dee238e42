"""The reverb effect.

``settings.ReverbBuilder`` is what a caller fills in; ``dsp.ReverbDsp`` runs on the audio thread.
"""
