// `streamspec completion bash|zsh`: static completion scripts, generated from the commands (so from the specs)
// at the time they are printed.
import type { Command } from "./commands.js";
import { GLOBAL_OPTIONS } from "./flags.js";

export interface CompletionTree {
  provider: string;
  commands: readonly Command[];
}

// Only names made of these characters reach the script, so no spec text can become shell code.
const SAFE = /^[A-Za-z0-9_.:-]+$/;
const words = (list: readonly string[]) => list.filter((w) => SAFE.test(w)).join(" ");

function flagsOf(command: Command): string[] {
  return [...command.flags.map((f) => `--${f.name}`), ...(command.body ? ["--body"] : []), ...Object.keys(GLOBAL_OPTIONS).map((k) => `--${k}`)];
}

function namesOf(command: Command): string[] {
  return command.operationId && command.operationId !== command.name ? [command.name, command.operationId] : [command.name];
}

export function bashCompletion(tree: readonly CompletionTree[]): string {
  const providers = tree.filter((t) => SAFE.test(t.provider));
  const level2 = providers.map((t) => `    ${t.provider}) words="${words(t.commands.flatMap(namesOf))}" ;;`);
  const level3 = providers.flatMap((t) =>
    t.commands
      .filter((c) => namesOf(c).every((n) => SAFE.test(n)))
      .map((c) => `    ${namesOf(c).map((n) => `"${t.provider} ${n}"`).join("|")}) words="${words(flagsOf(c))}" ;;`),
  );
  return `# bash completion for streamspec, generated from the specs.
# Use: source <(streamspec completion bash)   (or save it to ~/.local/share/bash-completion/completions/streamspec)
_streamspec() {
  local cur prev words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --env-file|--body) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${words(providers.map((t) => t.provider))} completion --help --version" -- "$cur") )
    return
  fi
  if [ "$COMP_CWORD" -eq 2 ]; then
    words=""
    case "\${COMP_WORDS[1]}" in
${level2.join("\n")}
    completion) words="bash zsh" ;;
    esac
    COMPREPLY=( $(compgen -W "$words --help" -- "$cur") )
    return
  fi
  words=""
  case "\${COMP_WORDS[1]} \${COMP_WORDS[2]}" in
${level3.join("\n")}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _streamspec streamspec
`;
}

export function zshCompletion(tree: readonly CompletionTree[]): string {
  const providers = tree.filter((t) => SAFE.test(t.provider));
  const level2 = providers.map((t) => `      ${t.provider}) list=(${words(t.commands.flatMap(namesOf))}) ;;`);
  const level3 = providers.flatMap((t) =>
    t.commands
      .filter((c) => namesOf(c).every((n) => SAFE.test(n)))
      .map((c) => `    ${namesOf(c).map((n) => `"${t.provider} ${n}"`).join("|")}) list=(${words(flagsOf(c))}) ;;`),
  );
  return `#compdef streamspec
# zsh completion for streamspec, generated from the specs.
# Use: source <(streamspec completion zsh)   (after compinit), or save it as _streamspec in your $fpath.
_streamspec() {
  local -a list
  case "$words[CURRENT-1]" in
    --env-file|--body) _files; return ;;
  esac
  if (( CURRENT == 2 )); then
    list=(${words(providers.map((t) => t.provider))} completion --help --version)
  elif (( CURRENT == 3 )); then
    case "$words[2]" in
${level2.join("\n")}
      completion) list=(bash zsh) ;;
    esac
    list+=(--help)
  else
    case "$words[2] $words[3]" in
${level3.join("\n")}
    esac
  fi
  compadd -a list
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _streamspec "$@"
else
  compdef _streamspec streamspec
fi
`;
}
