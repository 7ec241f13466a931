"""One assessment from first page to finalised record: the wizard's draft, its rules, finalising, follow-ups."""
