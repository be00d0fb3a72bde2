"""From decisions to bytes: accepted findings in, a diff or a rewritten list (atomically) out."""
