"""The search stage: Pagefind's bundle over the post pages, shard by shard, made beside the render stage's
last outputs (bundle.py), running Pagefind (pagefind.py), and making its output byte-identical (canonical.py).

May import: output, site, fingerprints, errors.
"""
