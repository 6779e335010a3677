"""Moderated comments: the pending queue, the WSGI receiver, moderation verbs and safe rendering."""

# Submodules are imported where used, so the build never loads the receiver
# and the receiver never loads the renderer.
