"""Moderated comments: the files (store.py), the WSGI receiver and its pages (receiver.py, form.py, pages.py),
the moderation verbs (moderate.py), sanitising (sanitize.py) and the approved comments a build shows
(published.py).

May import: config, content (the build's side only: published.py), errors. Submodules are imported where
used, so the build never loads the receiver and the receiver never loads the renderer.
"""
