"""The audit trail: who did what to which record, when, and whether it worked; hash-chained (F1-F5)."""
