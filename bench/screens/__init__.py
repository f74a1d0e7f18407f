"""Synthetic screen activity for the extraction benchmark: a simulated working day of mail,
chat, calendar, articles, documents, terminal sessions, settings pages with API keys,
receipts and code, rendered as real images with real fonts, each segment labelled with the
memories a careful person would take from it (type and key facts)."""

from bench.screens.day import Day, FrameSpec, SegmentSpec, generate_day, write_day

__all__ = ["Day", "FrameSpec", "SegmentSpec", "generate_day", "write_day"]
