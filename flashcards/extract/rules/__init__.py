"""The note conventions, one module each; extract/chain.py lists them in the order they are
tried."""
