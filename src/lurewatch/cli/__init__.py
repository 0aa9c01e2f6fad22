"""The command line: presentation only. Each command lives in its own module, loaded lazily."""
