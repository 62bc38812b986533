# tests/lib.sh - what the shell tests share, sourced after they read their arguments:
#   WORK          a new folder, removed when the test ends (however it ends);
#   fail MESSAGE  ends the test as failed, saying why.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
