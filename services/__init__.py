"""Use cases: load from storage, decide with `coach`, save. Handlers call these; they never see SQL."""
