// Placeholder until the target's branch is merged.
