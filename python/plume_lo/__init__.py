"""The LibreOffice adapter: the only package that talks to UNO. It translates between
LibreOffice (documents, dispatches, configuration, threads) and the plain core in ``plume``."""
