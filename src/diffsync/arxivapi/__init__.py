"""Talking to arXiv: ID strings in, frozen ``PaperRecord`` values out, paced and retried."""
