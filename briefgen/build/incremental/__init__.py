"""What an incremental build keeps between runs: the cache, packs, fingerprints and outlines."""
