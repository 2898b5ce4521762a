"""`python -m taf rsrc`: placeholder until the RSRC module lands."""


def add_parser(sub):
    pass


def run(args, out):
    return 2
