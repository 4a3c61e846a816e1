"""How people and processes reach the product: the CLI, the web app, and the composition root."""
