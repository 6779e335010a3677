"""Where the site goes: staging beside the output folder and the commit into it, or a dry run
(staging.py), the build cache and what each output was made from (cache.py), files copied as they are
(static.py), and checking every internal link (links.py, for ``check``).

May import: site, content, config, fingerprints, errors, parallel, progress.
"""
