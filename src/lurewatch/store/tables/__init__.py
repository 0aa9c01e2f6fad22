"""Each module here declares one domain's tables on `store.meta.metadata` and its MIGRATIONS."""
