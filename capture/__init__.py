"""Screen capture pipeline: grab, dedup, privacy gate, OCR, redaction, frame store.

Qt-free by rule: nothing under ``capture`` imports PySide6.
"""
