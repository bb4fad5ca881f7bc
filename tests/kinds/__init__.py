"""Step kinds that exist only for tests: each is added through the step-kind contract alone."""
