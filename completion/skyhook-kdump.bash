# SPDX-License-Identifier: Apache-2.0
# bash completion for skyhook-kdump(8)

# The names of the backends the program finds (with the --backend-dir
# options already on the line), from "skyhook-kdump backends --json".
_skyhook_kdump_backends()
{
	local prog=$1
	shift
	"$prog" "$@" backends --json 2>/dev/null |
		grep -o '"name":"[^"]*"' | sed 's/^"name":"//; s/"$//'
}

_skyhook_kdump()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands="apply apply-check config config-check post-interrupt-check
		uninstall uninstall-check upgrade upgrade-check status estimate dumps
		backends validate"
	local options="--root --image --configmaps --backend --backend-dir
		--dry-run --json --verbose --help --version"

	case $prev in
	--root|--configmaps|--backend-dir)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		compopt -o filenames 2>/dev/null
		return ;;
	--backend)
		local i dirs=()
		for ((i = 1; i < cword; i++)); do
			if [[ ${words[i]} == --backend-dir && $((i + 1)) -lt $cword ]]; then
				dirs+=(--backend-dir "${words[i+1]}")
			fi
		done
		mapfile -t COMPREPLY < <(compgen -W "$(_skyhook_kdump_backends "${words[0]}" "${dirs[@]}")" -- "$cur")
		return ;;
	--crashkernel)
		mapfile -t COMPREPLY < <(compgen -W "256M 512M 1G auto" -- "$cur")
		return ;;
	--memory|--keep)
		return ;;
	esac

	# the command given so far, if any (skipping option arguments)
	local i command=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--root|--configmaps|--backend|--backend-dir|--crashkernel|--memory|--keep)
			((i++)) ;;
		-*) ;;
		*) command=${words[i]}; break ;;
		esac
	done

	case $command in
	validate|estimate) options="$options --crashkernel --memory" ;;
	status) options="$options --prometheus" ;;
	dumps) options="$options --prune --keep" ;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
	elif [[ -z $command ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
	elif [[ $command == dumps || ($command == status && " ${words[*]} " == *" --prometheus "*) ]]; then
		# dumps [DIR], status --prometheus [FILE]
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
	fi
} &&
complete -F _skyhook_kdump skyhook-kdump
