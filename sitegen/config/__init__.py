"""config.yaml into frozen, validated settings (settings.py, schema.py), read as writers save text files and
YAML with the line of every key (yamlsource.py), and the URL scheme it sets: slugs, permalinks and the base
path (urls.py, the one place URLs are made).

May import: fingerprints, errors.
"""
