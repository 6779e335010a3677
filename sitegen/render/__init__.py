"""The render stage: the Jinja environment (environment.py), what each kind of page's template sees
(context.py), rendering the planned pages into the sink over all cores (pages.py), and the machine-readable
outputs (machine.py: feeds.py, sitemap.py, opendata.py, the comment targets).

May import: output, site, content, config, fingerprints, kinds, errors, parallel, progress.
"""
