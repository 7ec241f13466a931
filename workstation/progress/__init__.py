"""Progress over time: the series a patient's charts draw, computed here so the app and letters agree."""
