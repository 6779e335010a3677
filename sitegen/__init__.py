"""sitegen: the static site generator behind the blog of follow-up visits (återbesök)."""

__version__ = "0.1.0"
