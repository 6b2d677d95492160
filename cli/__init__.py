"""The `iku` command line: click commands only, over the application layer in `services`."""
