"""Documents: ReportLab letters, handouts and squad reports. Plain data in, PDF bytes out; no Qt, no database.

``reports.letters.render_letter`` lays out a ``workstation.letters.document.Letter``; ``reports.fonts`` is
the one way user text becomes ReportLab markup (escaped, Unicode fonts, right-to-left shaping).
"""
