"""Reading protocol photos. For now: whether the OCR engine and its languages are installed."""
