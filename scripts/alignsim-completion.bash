# bash completion for alignsim (installed as share/bash-completion/completions/alignsim).
# Commands come from `alignsim --help` and each command's options from `alignsim CMD --help`, so the
# completion follows the program it completes; files are offered by what each command reads.
_alignsim() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} prog=${COMP_WORDS[0]}
    local cmd=${COMP_WORDS[1]} commands ext
    commands=$("$prog" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "$commands help --help --version" -- "$cur")
        return
    fi
    if [[ $cmd == help ]]; then
        ((COMP_CWORD == 2)) && mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        return
    fi
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$("$prog" "$cmd" --help 2>/dev/null |
            grep -o -e '--[a-z][a-z-]*' | sort -u)" -- "$cur")
        return
    fi
    case $prev in
    --threads | --replications | --seed | --year | --occupation | --set | --slice) return ;;
    -o | --output | --csv | --xlsx | --keep-results | --sweep)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    esac
    case $cmd in
    run | validate | calibrate | sweep) ext=json ;;
    *) ext=h5 ;;
    esac
    mapfile -t COMPREPLY < <(compgen -f -X "!*.$ext" -- "$cur"; compgen -d -- "$cur")
}
complete -o filenames -F _alignsim alignsim
