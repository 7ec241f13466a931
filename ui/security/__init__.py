"""Accounts on screen: the first owner, logging in, the idle lock, user administration and the audit viewer.

Every widget here takes the service calls it needs as plain callables (the ``Accounts`` and
``ClinicSession`` methods bound to the actor), so that it can be tested with fakes and so that no module
here imports the services at import time.
"""
