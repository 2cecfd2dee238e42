"""The eq filter effect.

``settings.EqFilterBuilder`` is what a caller fills in; ``dsp.EqFilterDsp`` runs on the audio thread.
"""
