# bash completion for wsprobe-run: its options (those of --export after it), scenario files and folders as paths, JSON files
# for --env, CSV files for --data, examples for --threshold, a report file (then its format) for -o. Installed as
# /usr/share/bash-completion/completions/wsprobe-run, loaded the first time it is needed.

_wsprobe_run()
{
    local cur prev words cword
    _init_completion -n =: || return

    case $prev in
        --env | --secret-env | --import-log)
            _filedir '@(json|jsonl)'
            return
            ;;
        --import-har)
            _filedir har
            return
            ;;
        --rules)
            _filedir json
            return
            ;;
        --serve)
            # Mock server files (*.mock.json) are JSON files.
            _filedir json
            return
            ;;
        --log-dir)
            _filedir -d
            return
            ;;
        --data)
            _filedir csv
            return
            ;;
        --threshold)
            COMPREPLY=($(compgen -W "'p95<200' 'p99<500' 'errors<1%' 'connect p99<500' 'rate>100'" -- "$cur"))
            return
            ;;
        --export)
            COMPREPLY=($(compgen -W 'artillery k6' -- "$cur"))
            return
            ;;
        --proxy | --var | --timeout | --jobs | --port | --demo-port | --users | --ramp | --duration | \
            --arrival-rate | --iterations | --think | -maxwarnings | -eventdelay | -keydelay | \
            -mousedelay | -seed | -minimumvalue | -minimumtotal | -iterations | -median | \
            -callgrind | -platform)
            # A value of the user's: nothing to offer.
            return
            ;;
        -o)
            # -o file,format: the file first, then the format after the comma.
            if [[ $cur == *,* ]]; then
                local file=${cur%%,*}
                COMPREPLY=($(compgen -P "$file," -W 'txt junitxml tap xml csv teamcity lightxml' \
                    -- "${cur#*,}"))
            else
                _filedir
                COMPREPLY+=($(compgen -W '-' -- "$cur"))
            fi
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        local i serving= mocking= exporting= proxying=
        for ((i = 1; i < cword; i++)); do
            [[ ${words[i]} == --serve-demo ]] && serving=1
            [[ ${words[i]} == --serve ]] && mocking=1
            [[ ${words[i]} == --export ]] && exporting=1
            [[ ${words[i]} == --proxy ]] && proxying=1
        done
        if [[ -n $proxying ]]; then
            COMPREPLY=($(compgen -W '--rules --log-dir --help' -- "$cur"))
        elif [[ -n $exporting ]]; then
            COMPREPLY=($(compgen -W '-o --users --ramp --duration --arrival-rate --var --help' -- "$cur"))
        elif [[ -n $mocking ]]; then
            COMPREPLY=($(compgen -W '--port --var --help' -- "$cur"))
        elif [[ -n $serving ]]; then
            COMPREPLY=($(compgen -W '--demo-port --port --help --help-all' -- "$cur"))
        else
            COMPREPLY=($(compgen -W '--env --secret-env --var --timeout --jobs --fast
                --with-demo --demo-port --log-dir --log-all --import-har --import-log --loose --export
                --users --ramp --duration --iterations --arrival-rate --think --data --threshold --load
                --list --version --help --serve-demo --serve --proxy -o -v1 -v2 -vs -silent -datatags -functions -help
                -maxwarnings -platform' -- "$cur"))
        fi
        return
    fi

    # Scenario files and folders of them.
    _filedir json
} &&
    complete -F _wsprobe_run wsprobe-run
