"""Small trained heads that run in numpy on top of the shipped encoder (no PyTorch)."""
