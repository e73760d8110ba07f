"""What ``build.py`` needs besides its steps: the configuration files generated from the
settings (schema, defaults, an administrator's policy layer), the platforms a package can be
built for, and the update feed IT hosts. Plain Python; never shipped in the .oxt."""
