"""Helper modules shared by the notebooks of the book.

One module per concept, each introduced in the chapter that first writes its Brian
code out in full:

- ``helpers.validation``: input checks with messages that say what to do.
- ``helpers.monitors``: reading what Brian recorded, and the exact solution of the
  relaxation model of chapter 1 used to check it.
- ``helpers.checks``: one module per chapter with functions that tell a student
  whether an exercise answer is right (``from helpers.checks import ch01``).

Importing ``helpers`` changes no Brian preference and starts no simulation.
"""
