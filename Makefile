# The two set-up commands of the README, plus developer helpers.
.PHONY: run test bench sqlx-prepare

## Install what is missing, build (release) and serve at http://127.0.0.1:3000 with demo data.
run:
	@server/scripts/run.sh

## Every check: format, clippy (ssr + wasm), tests on a real Postgres, browser tests.
test:
	@server/scripts/test.sh

## The benchmark (release build, large dataset, wrk + Chromium): report in .local/bench/.
bench:
	@server/scripts/bench.sh

## Refresh the committed .sqlx/ query data after changing a query or a migration.
sqlx-prepare:
	@server/scripts/sqlx-prepare.sh
