"""The clinical engine: pure rules, no Qt and no database (CLINICAL.md; docs/assessment-contract.md).

One module per clinical idea; ``evaluate`` ties them to the ``calfdesk.assessment/1`` contract.
"""
