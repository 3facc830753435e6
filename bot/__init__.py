"""Runtime and assembly: settings, the composition root, runners and the command line."""
