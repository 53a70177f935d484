"""doit command plugins, one module per command (declared in pyproject.toml `[tool.doit.plugins.command]`)."""
