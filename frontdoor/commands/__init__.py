"""The `frontdoor` command line: `cli.py` (the parser, the commands it defines itself, and
COMMAND_MODULES) and one module per other command, each with `register(commands)`. A command module
imports no other command module; what two commands share lives in the layer below (`offline/`,
`live/`, `gate/`) or, for the live commands' options and exit codes, in `live_common.py`."""
