"""Patients' rights over their records: subject-access export, restriction, retention and erasure (G1-G3)."""
