"""One CDK construct per product capability (see docs/architecture.md, "Layout")."""
