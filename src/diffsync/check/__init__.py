"""One check: the list, arXiv's answers and the store in; findings recorded, a summary out.

``pipeline.run_check`` is shared by ``diffsync check`` and the daemon:
listfile -> arxivapi -> store -> drift -> store.  ``titlesearch`` batches
the title searches and confirms each entry with ``drift.matching``.
"""
