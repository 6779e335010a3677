"""``serve``: the development server that rebuilds on every change, reloads open tabs (reload.js) and takes
comments into the pending queue (server.py).

May import: pipeline, comments, output, errors.
"""
