"""`lurewatch eval`: each capability contributes a section to docs/evaluation.md."""
