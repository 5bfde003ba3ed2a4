"""narrate: offline multi-voice audiobook narration."""

__version__ = "0.1.0"
