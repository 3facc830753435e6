# Conveniences for developers; the README's two commands (python3 tasks.py run | test) need no make.
.PHONY: run test lint bench i18n

run:
	python3 tasks.py run

test:
	python3 tasks.py test

lint:
	python3 tasks.py lint

# Benchmarks print tables and write bench/results/*.json.
bench:
	python3 tasks.py bench

i18n:
	python3 tasks.py i18n
