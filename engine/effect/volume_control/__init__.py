"""The volume control effect.

``settings.VolumeControlBuilder`` is what a caller fills in; ``dsp.VolumeControlDsp`` runs on the audio thread.
"""
