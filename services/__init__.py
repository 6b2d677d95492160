"""The application layer: the use cases the web and the command line both call, and their wiring."""
