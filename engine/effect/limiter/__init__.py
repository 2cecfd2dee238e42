"""The limiter effect.

``settings.LimiterBuilder`` is what a caller fills in; ``dsp.LimiterDsp`` runs on the audio thread.
"""
