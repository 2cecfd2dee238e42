"""The filter effect.

``settings.FilterBuilder`` is what a caller fills in; ``dsp.FilterDsp`` runs on the audio thread.
"""
