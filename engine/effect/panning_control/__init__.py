"""The panning control effect.

``settings.PanningControlBuilder`` is what a caller fills in; ``dsp.PanningControlDsp`` runs on the audio thread.
"""
