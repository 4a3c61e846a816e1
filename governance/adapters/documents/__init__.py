"""Reading documents under sign-off: their text, for comparing versions."""
