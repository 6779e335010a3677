"""The site stage: the index of every post (index.py: Site, terms, prev/next, related visits), Swedish
collation (collate.py), what the visits cover of Sweden and the map's tiles (coverage.py), how the
search index is cut into shards (shards.py), and the plan of every page with URL collisions and
fingerprints (plan.py: ``plan_site``).

May import: config, content, fingerprints, kinds, errors.
"""
