"""The sound kind of Thing: settings, handle, audio-thread object, module and commands."""
