#!/usr/bin/env bash
# Starts what the integration tests need beyond Node. Today: nothing. The webhook's PostgreSQL
# store tests add a Debian PostgreSQL server here.
set -euo pipefail
echo "ci-services: none needed"
