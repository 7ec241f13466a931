"""Who may do what: accounts, roles and their permission table, passwords, lockout and the idle lock."""
