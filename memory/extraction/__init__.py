"""Turning what the screen showed (and what the user typed) into memories of the six types:
segments, rule extractors, the on-device LLM, grounding, consolidation, links and strength."""
