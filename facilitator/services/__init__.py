"""One function per user action: validate, change, commit, return.

Services know nothing of Flask requests or Socket.IO, so the same action can
be taken from a page, a live command or the command line.
"""
