"""``ebprof env``: the variables a package's global scope leaves set, decoded and filtered."""
