"""The delay effect.

``settings.DelayBuilder`` is what a caller fills in; ``dsp.DelayDsp`` runs on the audio thread.
"""
