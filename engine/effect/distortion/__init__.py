"""The distortion effect.

``settings.DistortionBuilder`` is what a caller fills in; ``dsp.DistortionDsp`` runs on the audio thread.
"""
