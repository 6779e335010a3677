"""sitegen: the static site generator behind the blog of follow-up visits (återbesök).

``pipeline.build()`` runs the stages in order, one package each:
config/ → content/ → comments/ (the approved ones) → site/ → render/ (with search/ beside it) → output/.
Shared by all of them: errors.py (SourceError, BuildError), kinds.py (page and taxonomy kinds),
fingerprints.py (what every output and cache entry is made from), parallel.py (worker pools, the
helper process, the frozen heap) and progress.py. cli.py parses commands; serve/ is the dev server.
"""

__version__ = "0.1.0"
