"""The one exception hierarchy of CreditGraph (raised by the C++ engine and the Python layer).

``CreditGraphError``
    ``InputError``     bad user input: a data set, catalog, model or argument; the message says what to do
    ``NotFoundError``  a key, entity or database that does not exist
    ``StorageError``   the database could not be read or written
"""
from ._core import CreditGraphError, InputError, NotFoundError, StorageError

__all__ = ["CreditGraphError", "InputError", "NotFoundError", "StorageError"]
