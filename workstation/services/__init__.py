"""Use cases: what a user does, with validation, independent of how it is shown or stored."""
