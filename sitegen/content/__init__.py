"""The content stage: finding and reading posts and pages (documents.py), checking their front matter
(frontmatter.py), Markdown (markdown.py), the municipality registry and its data (registry.py, data/),
reading them all with the cache (read.py: ``read_content``), and writing a new draft (scaffold.py, ``new``).

May import: config, fingerprints, errors, parallel, progress.
"""
