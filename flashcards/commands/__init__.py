"""Commands beyond `build`/`check`/`extract`/`terms`, one module each; `cli.py` registers them.

Each module holds one thin Click command: it parses options, calls the core, prints results."""
