# SPDX-License-Identifier: GPL-3.0-or-later
# Bash completion for scriptcast: subcommands, each subcommand's options and
# their values (choices, files, folders), chapter numbers and titles for
# --section (from `scriptcast plan --json` of the transcript on the line)
# and profile names for `scriptcast voices NAME`. Options come from the
# program itself (`scriptcast --list-options CMD`, made from its option
# table), so completion never lags behind the options. Installed as
# share/bash-completion/completions/scriptcast.

# The subcommand on the line ("render", "cache prune"), its first word's
# index in _scriptcast_at, or nothing before one is typed.
_scriptcast_command()
{
    local i w
    _scriptcast_cmd= _scriptcast_at=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        -*) ;;
        cache)
            if ((i + 1 < COMP_CWORD)); then
                _scriptcast_cmd="cache ${COMP_WORDS[i + 1]}"
            else
                _scriptcast_cmd=cache
            fi
            _scriptcast_at=$i
            return
            ;;
        *)
            _scriptcast_cmd=$w _scriptcast_at=$i
            return
            ;;
        esac
    done
}

# The first operand after the subcommand that names a transcript.
_scriptcast_transcript()
{
    local i w
    for ((i = _scriptcast_at + 1; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        [[ $w == *.md && -f $w ]] && { printf '%s\n' "$w"; return; }
    done
}

# Chapter numbers and titles of the transcript, one a line.
_scriptcast_sections()
{
    local file
    file=$(_scriptcast_transcript)
    [[ -n $file ]] || return
    "${COMP_WORDS[0]}" plan --json -q "$file" 2>/dev/null | awk '
        /^  "chapters": \[/ { on = 1; next }
        on && /^  \]/ { exit }
        on && /"index":/ { gsub(/[^0-9]/, ""); print }
        on && /"title":/ { sub(/^ *"title": "/, ""); sub(/",?$/, ""); gsub(/\\"/, "\""); print }'
}

_scriptcast()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local prog=${COMP_WORDS[0]} line arg choices IFS=$'\n'
    COMPREPLY=()
    _scriptcast_command
    if [[ -z $_scriptcast_cmd ]]; then
        COMPREPLY=($(compgen -W $'render\nplan\ncheck\nvoices\nbatch\ncache\n-h\n--help\n-V\n--version' -- "$cur"))
        return
    fi
    if [[ $_scriptcast_cmd == cache ]]; then
        COMPREPLY=($(compgen -W $'stats\nprune' -- "$cur"))
        return
    fi
    local opts
    opts=$("$prog" --list-options $_scriptcast_cmd 2>/dev/null) || return
    # The value of the option before the cursor.
    while IFS=$'\t' read -r short long arg choices; do
        [[ -n $arg && ($prev == "$long" || $prev == "$short") ]] || continue
        if [[ -n $choices ]]; then
            COMPREPLY=($(compgen -W "${choices// /$'\n'}" -- "$cur"))
        elif [[ $arg == SEL ]]; then
            # -o filenames below quotes titles with spaces as they go in.
            COMPREPLY=($(compgen -W "$(_scriptcast_sections)" -- "$cur"))
        elif [[ $arg == DIR || $arg == OUTDIR ]]; then
            COMPREPLY=($(compgen -d -- "$cur"))
        elif [[ $arg == FILE || $arg == OUT ]]; then
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return
    done <<<"$opts"
    if [[ $cur == -* ]]; then
        local names=
        while IFS=$'\t' read -r short long arg choices; do
            names+="$long"$'\n'
            [[ $short != - ]] && names+="$short"$'\n'
        done <<<"$opts"
        COMPREPLY=($(compgen -W "$names" -- "$cur"))
    elif [[ $_scriptcast_cmd == voices ]]; then
        COMPREPLY=($(compgen -W "$("$prog" voices -q 2>/dev/null | awk '!NF { exit } { print $1 }')" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _scriptcast scriptcast
