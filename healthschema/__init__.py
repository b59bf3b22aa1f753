"""healthschema: schema-as-code toolkit for the customer-success health database.

The library never prints or exits: it returns values or raises a
:class:`~healthschema.errors.HealthschemaError`. The CLI (``healthschema.cli``) prints.
"""

from healthschema.errors import HealthschemaError

__all__ = ["HealthschemaError", "__version__"]
__version__ = "0.1.0"
