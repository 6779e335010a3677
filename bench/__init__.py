"""The benchmark: synthetic corpora (``corpus``) and the runner (``run``); see bench/README.md."""
