"""The images stage: which images the site publishes and their files, made or carried over (stage.py), one
image through Pillow (process.py), and the store of processed images kept across builds (store.py).

What each image becomes (its sizes, names and markup) is decided by content/pictures.py, so that a
page knows every image's width and height before anything is processed.

May import: output, site, content, config, fingerprints, errors, parallel, progress.
"""
