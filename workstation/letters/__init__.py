"""Letters and handouts as plain data: what each document says, composed from the record (no ReportLab).

``records`` holds the requests, profiles and stored letters; ``document`` the laid-out-free content that
``reports`` turns into PDF bytes; ``compose`` writes one document from a request and the patient's facts.
"""
