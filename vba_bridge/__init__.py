"""The add-in's VBA modules (``*.bas``) and ribbon XML, installed as ``xl_addin.vba_bridge``.

This folder stays at the top of the repository as text files (the team's layout);
``pyproject.toml`` maps it into the package so that a wheel carries it, and
``xl_addin.addin.build`` reads it through ``importlib.resources``.  This file exists only
so that the editable install (``pip install -e .``) can import the mapped folder too.
"""
