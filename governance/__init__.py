"""signoff: multi-stage governance sign-off for NHS ICB documents."""
