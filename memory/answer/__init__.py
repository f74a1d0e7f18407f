"""Answers that are true: the extractive answer of the asked type first, and a verifier
that cuts any detail the model writes that the cited memories do not hold."""
