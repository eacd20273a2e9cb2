package main

import (
	"fmt"
	"io"
	"strings"
)

// completionCmd prints a completion script for bash, zsh or fish, made
// from the command registry: commands first, then each command's flags,
// then files.
func completionCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, "netrun completion: takes one shell: bash, zsh or fish\n")
		return exitInvalid
	}
	cmds := commands()
	switch args[0] {
	case "bash":
		fmt.Fprint(stdout, bashCompletion(cmds))
	case "zsh":
		fmt.Fprint(stdout, "#compdef netrun\nautoload -U +X bashcompinit && bashcompinit\n"+bashCompletion(cmds))
	case "fish":
		fmt.Fprint(stdout, fishCompletion(cmds))
	default:
		fmt.Fprintf(stderr, "netrun completion: no shell %q%s; takes bash, zsh or fish\n", args[0], suggestion(args[0], []string{"bash", "zsh", "fish"}))
		return exitInvalid
	}
	return exitOK
}

func bashCompletion(cmds []*command) string {
	var b strings.Builder
	b.WriteString("# netrun completion for bash (netrun completion bash)\n_netrun() {\n")
	b.WriteString("  local cur=${COMP_WORDS[COMP_CWORD]} sub=run\n")
	b.WriteString("  if [ \"$COMP_CWORD\" -eq 1 ] && [[ $cur != -* ]]; then\n")
	fmt.Fprintf(&b, "    COMPREPLY=($(compgen -W %q -- \"$cur\") $(compgen -f -- \"$cur\"))\n    return\n  fi\n", strings.Join(names(cmds), " "))
	b.WriteString("  case ${COMP_WORDS[1]} in\n")
	for _, c := range cmds {
		if c.name != "run" {
			fmt.Fprintf(&b, "    %s) sub=%s ;;\n", c.name, c.name)
		}
	}
	b.WriteString("  esac\n  case $sub in\n")
	for _, c := range cmds {
		fl := append([]string{"--help"}, c.flags...)
		switch c.name {
		case "completion":
			b.WriteString("    completion) COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")); return ;;\n")
		case "help":
			fmt.Fprintf(&b, "    help) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", strings.Join(names(cmds), " "))
		default:
			fmt.Fprintf(&b, "    %s) if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi ;;\n", c.name, strings.Join(fl, " "))
		}
	}
	b.WriteString("  esac\n  COMPREPLY=($(compgen -f -- \"$cur\"))\n}\ncomplete -o filenames -F _netrun netrun\n")
	return b.String()
}

func fishCompletion(cmds []*command) string {
	var b strings.Builder
	b.WriteString("# netrun completion for fish (netrun completion fish)\n")
	all := strings.Join(names(cmds), " ")
	for _, c := range cmds {
		fmt.Fprintf(&b, "complete -c netrun -n 'not __fish_seen_subcommand_from %s' -a %s -d %q\n", all, c.name, c.synopsis)
	}
	for _, c := range cmds {
		cond := "__fish_seen_subcommand_from " + c.name
		if c.name == "run" {
			cond = "not __fish_seen_subcommand_from " + strings.Join(names(cmds)[1:], " ")
		}
		for _, f := range c.flags {
			if strings.HasPrefix(f, "--") {
				fmt.Fprintf(&b, "complete -c netrun -n '%s' -l %s\n", cond, f[2:])
			} else {
				fmt.Fprintf(&b, "complete -c netrun -n '%s' -s %s\n", cond, f[1:])
			}
		}
	}
	b.WriteString("complete -c netrun -n '__fish_seen_subcommand_from completion' -x -a 'bash zsh fish'\n")
	return b.String()
}
