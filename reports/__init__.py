"""Documents: ReportLab letters, handouts and squad reports. Plain data in, PDF bytes out; no Qt.

The letters arrive with the letters issue; the package exists now so that the layer contracts hold.
"""
