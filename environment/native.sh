# The PyTorch native library this checkout builds and runs with: "cpu" (the default) or "cuda" (the
# CUDA 12.4 build), as environment/use-cuda chose it. Sourced by the scripts that build, after they
# set $root to the checkout. The choice is the file environment/native-flavor (git-ignored: it is a
# machine's, not the project's); the build a module's target/ holds is in its target/native-flavor,
# which Maven writes (the root pom's native-flavor execution).

native_choice="$root/environment/native-flavor"

if [[ -n "${PFGM_CUDA:-}" ]]; then
  echo "$(basename "$0"): PFGM_CUDA is no longer read: choose the CUDA build once with environment/use-cuda on," \
    "then unset PFGM_CUDA" >&2
  exit 1
fi

native_flavor=cpu
if [[ -f "$native_choice" ]]; then
  native_flavor="$(tr -d '[:space:]' <"$native_choice")"
fi
case "$native_flavor" in
  cpu | cuda) ;;
  *)
    echo "$(basename "$0"): $native_choice holds '$native_flavor', not cpu or cuda: choose with environment/use-cuda on" \
      "(or off)" >&2
    exit 1
    ;;
esac

# True when the module in $1 must be built (again): never built, built with another native library
# than the chosen one (its target/lib is then the wrong class path), or older than a file under the
# other arguments. Its target/native-flavor tells: every build rewrites it, unlike the module's jar,
# which Maven leaves alone when no class changed (so a POM edit looked stale forever).
native_stale() {
  local stamp="$1/target/native-flavor"
  shift
  [[ ! -f "$stamp" || "$(<"$stamp")" != "$native_flavor" || -n "$(find "$@" -newer "$stamp" -print -quit)" ]]
}

# mvn -q -B with the chosen native library's profile and the given arguments. When the build fails
# because Maven cannot get the CUDA native library (about 2.4 GB, downloaded on first use), says so
# in one line instead of Maven's page of output; any other failure shows Maven's errors.
native_mvn() {
  local log status=0
  log="$(mktemp)"
  mvn -q -B $([[ $native_flavor == cuda ]] && echo -Pcuda) "$@" >"$log" 2>&1 || status=$?
  if ((status == 0)); then
    rm -f "$log"
    return 0
  fi
  local cause
  # Maven's line without its colour codes, level and the project it was resolving for.
  cause="$(grep -m1 'pytorch-native-cu' "$log" | sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^\[ERROR\] *//' -e 's/ *-> \[Help 1\]$//' \
    -e 's/^Failed to execute goal on project [^:]*: Could not resolve dependencies for project [^ ]*: //')"
  if [[ $native_flavor == cuda && -n "$cause" ]]; then
    echo "$(basename "$0"): cannot build with the CUDA native library: Maven could not get it ($cause). It is about" \
      "2.4 GB from Maven Central: check the network and ~/.m2/settings.xml (offline, mirrors), or go back to the CPU" \
      "build with environment/use-cuda off. Maven's output: $log" >&2
  else
    cat "$log" >&2
    rm -f "$log"
  fi
  return "$status"
}
