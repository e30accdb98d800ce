"""What the last build did and what must be redone: state, packs, fingerprints, outline."""
