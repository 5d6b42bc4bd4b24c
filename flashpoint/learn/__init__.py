"""Learned components: the typing corpus, training and evaluating the typing model."""
